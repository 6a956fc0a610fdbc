from django.utils.translation import gettext_lazy as _

from core.platform.verticals import MenuItem

MENU = [MenuItem(label=_("Line QC"), url_name="manufacturing:stations", icon="factory")]
