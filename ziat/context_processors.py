from .models import Organisation


def organisation(request):
    """The organisation for the layout: from the shared cache, not the database, on every page."""
    return {"organisation": Organisation.current()}
