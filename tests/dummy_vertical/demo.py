def seed(*, organisation, acting_user, light=False):
    """Nothing to seed: the dummy vertical exists to prove the contract."""
    return {}
