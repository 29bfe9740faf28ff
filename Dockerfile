# The explorer image used by docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY connection connection
COPY schema schema
COPY loader loader
COPY queries queries
COPY explorer explorer
EXPOSE 8501
