"""Local stand-ins that never run in production: embedded PostgreSQL, the embedded Kafka-protocol
broker (Tansu), and a stand-in for the message providers that prints what it gets.
"""
