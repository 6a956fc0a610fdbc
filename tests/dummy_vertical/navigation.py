from core.platform.verticals import MenuItem

MENU = [MenuItem(label="Dummy dashboard", url_name="ui:home", icon="flask")]
