# quotebot: the Discord bot with the bundled article indexed at build time.
#   docker build -t quotebot .
#   docker run -d --name quotebot -e DISCORD_TOKEN=... -v quotebot-data:/data quotebot
# The same image runs the Chroma server of a multi-process deployment (compose.yaml):
#   chroma run --host 0.0.0.0 --port 8000 --path /chroma
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    ANONYMIZED_TELEMETRY=False \
    TOKENIZERS_PARALLELISM=false \
    QUOTEBOT_DATA_DIR=/data

# Install the project (runtime dependencies only: no torch, no test tools), then drop the sources.
COPY pyproject.toml README.md /src/
COPY bot /src/bot
COPY index /src/index
COPY prompts /src/prompts
RUN pip install /src && rm -rf /src

# An unprivileged user owns the index; nothing in the image runs as root from here on.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin quotebot \
    && mkdir /data /chroma && chown quotebot:quotebot /data /chroma
USER quotebot
WORKDIR /home/quotebot

# Index the bundled article now, so the bot answers from its first second.
RUN python -m index build

CMD ["python", "-m", "bot"]
