"""A complete, tiny vertical that proves the contract on its own."""
