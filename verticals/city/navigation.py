from django.utils.translation import gettext_lazy as _

from core.platform.verticals import MenuItem

MENU = [MenuItem(label=_("City brain"), url_name="city:dashboard", icon="city")]
