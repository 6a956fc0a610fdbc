def seed(*, organisation, acting_user):
    """Nothing to seed: the dummy vertical exists to prove the contract."""
    return {}
