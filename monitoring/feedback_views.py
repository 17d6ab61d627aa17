"""Pages of the satisfaction questionnaire, the self-analysis and the NOBD deadlines."""

urlpatterns = []
