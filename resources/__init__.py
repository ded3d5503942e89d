"""Files PaktDesk ships: fonts for printed forms, icons, the exchange schema."""
