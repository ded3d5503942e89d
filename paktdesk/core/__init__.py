"""The domain in plain Python: money, periods, entities, programme rules, errors."""
