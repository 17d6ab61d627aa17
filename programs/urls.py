"""Public pages of programs (catalogue, discussion, surveys) and the staff's program screens."""

from .views import editor, exports, needs, public, staff

app_name = "programs"

urlpatterns = [
    *public.urlpatterns,
    *staff.urlpatterns,
    *editor.urlpatterns,
    *exports.urlpatterns,
    *needs.urlpatterns,
]
