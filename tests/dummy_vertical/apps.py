from core.platform.verticals import VerticalConfig


class DummyVerticalConfig(VerticalConfig):
    name = "tests.dummy_vertical"
    label = "dummy_vertical"
    slug = "dummy"
    title = "Dummy vertical"
    icon = "flask"
    description = "Test vertical: a least-squares model type and trainer."
    default_settings = {"threshold": 0.5}
    celery_queues = ["dummy"]
    aliases_requiring_approval = ("champion", "production")
