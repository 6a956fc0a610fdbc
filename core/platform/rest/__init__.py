"""The REST toolkit every app's api/ builds on: the organisation-scoped viewset base,
strict fields, bounded pagination, safe parsers and the exceptions the API turns into
4xx JSON. It sits in the platform layer so core apps below core.api may use it; core.api
itself only mounts URLs, serves the schema and maps errors."""
