"""The plan document: one SQLite file per Police and Crime Plan, opened safely and edited durably."""
