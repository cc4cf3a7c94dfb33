"""Adapters to the outside world: the Kafka clients, the message providers (WhatsApp Business
Cloud API, the SMS gateway) and the evidence files' blob store.
"""
