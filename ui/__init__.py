"""Qt widgets, forms, dialogs and item models over the db layer."""
