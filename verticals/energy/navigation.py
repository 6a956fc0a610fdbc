from django.utils.translation import gettext_lazy as _

from core.platform.verticals import MenuItem

MENU = [MenuItem(label=_("Power grids"), url_name="energy:dashboard", icon="bolt")]
