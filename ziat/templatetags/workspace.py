"""The staff menu by duty (``{% staff_menu %}``), built by ``ziat.workspace.menu``."""

from django import template

from ..workspace import menu

register = template.Library()


@register.inclusion_tag("staff/menu.html", takes_context=True)
def staff_menu(context):
    request = context.get("request")
    if request is None:
        return {"sections": []}
    return {"sections": menu(request.user, request.path)}
