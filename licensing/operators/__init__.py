"""Private hire operators as records in their own right, with their drivers and vehicles."""
