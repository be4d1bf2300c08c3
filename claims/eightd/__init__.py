"""The structured content of an 8D answer: schemas, completeness rules, services, selectors."""
