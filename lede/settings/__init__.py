"""Settings package: `base` for development, `test` for the test suite, `production` for deployments."""
