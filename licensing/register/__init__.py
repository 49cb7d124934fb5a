"""The read side that spans areas: search, the person view and its flags, applicant checks, the police
search."""
