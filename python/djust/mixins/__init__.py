"""Mixins that add capabilities to a LiveView: ``navigation.NavigationMixin``."""
