"""CX Interview Coach action server: Rasa custom actions plus the plain-Python coaching core they call."""
