"""What `make demo` seeds for energy: the IEEE 14-bus case and the MV Oberrhein
distribution grid as knowledge graphs (idempotent)."""
DEMO_CASES = ("case14", "mv_oberrhein")


def seed(*, organisation, acting_user):
    from core.kg.models import Graph

    from .actions import import_grid

    seeded = {}
    for case in DEMO_CASES:
        name = f"grid-{case}".replace("_", "-")
        if Graph.objects.filter(organisation=organisation, name=name).exists():
            continue
        grid, figures = import_grid(case=case, organisation=organisation, acting_user=acting_user, name=name)
        seeded[case] = grid.graph.pk
    return seeded
