"""Small pure helpers any part of the house may use. Standard library only; imports no app."""
