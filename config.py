"""This deployment's configuration: the package's defaults (licensing/config.py), overridden here if needed.

Pick a class with FLASK_CONFIG or pass it to create_app(); to change a setting, subclass the default here."""

from licensing.config import Config, DevelopmentConfig, ProductionConfig, TestingConfig

__all__ = ["Config", "DevelopmentConfig", "ProductionConfig", "TestingConfig"]
