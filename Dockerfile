FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY lede ./lede
COPY annotator ./annotator
COPY claims ./claims
COPY frontend ./frontend
COPY manage.py ./
RUN pip install --no-cache-dir . && useradd --create-home lede && mkdir -p /app/media /app/staticfiles && chown lede /app/media /app/staticfiles
USER lede
EXPOSE 8000
CMD ["gunicorn", "lede.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
