from django.utils.translation import gettext_lazy as _

from core.platform.verticals import MenuItem

MENU = [
    MenuItem(label=_("Credit risk"), url_name="finance:dashboard", icon="bank"),
    MenuItem(label=_("Model inventory"), url_name="finance:inventory", icon="audit"),
]
