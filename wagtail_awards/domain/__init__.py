"""Business rules as plain functions with keyword-only arguments.

Modules here take dates, numbers and model instances; pure ones never touch the database.
"""
