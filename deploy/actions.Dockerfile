# The action server's image for deploy/helm/action-server-values.yml: rasa-sdk on Python 3.11 with the coach, its
# content and the embedding model exported to ONNX at build time (no model hub is reached at run time).
#   docker build -f deploy/actions.Dockerfile -t registry.example.com/cx-coach/actions:$(git rev-parse --short HEAD) .
# Written for the Helm values; not built on the machine this project is developed on (it has no Docker).
FROM python:3.11-slim
WORKDIR /app
COPY requirements/actions.lock requirements/
# The CPU build of torch first, from PyTorch's own index: PyPI's build of the same version pulls in CUDA.
RUN pip install --no-cache-dir "$(grep '^torch==' requirements/actions.lock)" \
        --index-url https://download.pytorch.org/whl/cpu \
    && pip install --no-cache-dir -r requirements/actions.lock
COPY actions/ actions/
COPY coach/ coach/
COPY screening/ screening/
COPY database/ database/
COPY content/ content/
COPY domain.yml recruiters.yml ./
# Writes the ONNX export to .cache/onnx/, which the action server then runs without loading PyTorch.
RUN python -m coach.embedding
RUN useradd --uid 1001 --no-create-home coach && chown -R coach /app/.cache
USER coach
EXPOSE 5055
CMD ["python", "-m", "actions.server", "--host", "0.0.0.0", "--port", "5055"]
