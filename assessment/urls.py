"""The assessment's pages: the test bank and rules, tests and attempts, project works, results and references.

Each views module holds its own routes, as in the other apps."""

from .views import bank, final_results, project, results, staff_tests, testing

app_name = "assessment"

urlpatterns = [
    *results.urlpatterns,
    *final_results.urlpatterns,
    *bank.urlpatterns,
    *testing.urlpatterns,
    *staff_tests.urlpatterns,
    *project.urlpatterns,
]
