"""Pages of the post-course support."""

urlpatterns = []
