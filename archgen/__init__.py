"""archgen: ML system design diagrams as code."""

__version__ = "0.1.0"
