"""A small Discord stand-in on 127.0.0.1: the REST routes the bot calls and a gateway websocket.

The real discord.py client talks to it unchanged once ``discord.http.Route.BASE`` (REST, webhooks
and interaction callbacks) and ``DiscordWebSocket.DEFAULT_GATEWAY`` point here. Tests dispatch
gateway events (``MESSAGE_CREATE``, ``INTERACTION_CREATE``) and assert on the REST calls recorded
in ``FakeDiscord.calls``. Only what the bot uses is implemented; anything else answers 404 and is
recorded, so a test notices.

Sharding works as Discord's does: ``FakeDiscord(shard_count=2)`` reports two shards at
``/gateway/bot``, accepts one gateway connection per shard (IDENTIFY ``shard: [id, count]``), and
sends each server's events (READY's guild list, GUILD_CREATE, MESSAGE_CREATE,
INTERACTION_CREATE) only to the connection of shard ``(guild_id >> 22) % shard_count``; direct
messages go to shard 0. ``add_guild(shard=1)`` adds a server that lives on shard 1.

Interactions are dated now (discord.py reads an interaction's creation time, and so its
15-minute expiry, from its id). ``expire(interaction)`` makes its token refused as Discord
refuses an expired one; direct messages the bot opens (``POST /users/@me/channels``) are
recorded like channel posts (``direct_messages(user)``), refused for the users in
``dms_closed`` as for a member who does not take DMs from server members.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from aiohttp import WSMsgType, web

API = "/api/v10"
# view, send, send in threads, read history, embed, attach, add reactions, mention everyone, ...
EVERYONE_PERMISSIONS = 0x0000_0040_0007_CC40
SEND_MESSAGES, READ_MESSAGE_HISTORY = 0x800, 0x1_0000
SEND_MESSAGES_IN_THREADS = 0x40_0000_0000
MANAGE_GUILD = 0x20
ADMIN_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_GUILD

_ids = itertools.count(1_300_000_000_000_000_000)
DISCORD_EPOCH = 1_420_070_400_000  # ms, the start of 2015


def snowflake() -> str:
    return str(next(_ids))


def time_snowflake() -> str:
    """A fresh id dated now, as Discord's are (milliseconds since 2015 in its high bits)."""
    return str((int(time.time() * 1000) - DISCORD_EPOCH) << 22 | next(_ids) & (1 << 22) - 1)


def guild_snowflake(shard: int, shard_count: int) -> str:
    """A fresh id of a server that Discord routes to ``shard``: ``(id >> 22) % shard_count``."""
    n = next(_ids)
    high = n >> 22
    return str(((high + (shard - high) % shard_count) << 22) | (n & (1 << 22) - 1))


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


def user(user_id: str, name: str, *, bot: bool = False) -> dict:
    return {"id": user_id, "username": name, "global_name": name, "discriminator": "0",
            "avatar": None, "bot": bot, "public_flags": 0}


@dataclass
class Call:
    """One REST request the bot made."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any = None
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def content(self) -> str | None:
        return (self.json or {}).get("content") if isinstance(self.json, dict) else None

    @property
    def flags(self) -> int:
        data = self.json if isinstance(self.json, dict) else {}
        data = data.get("data", data) or {}
        return int(data.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} {json.dumps(self.json, ensure_ascii=False)[:300]}>"


def invalid_body(body: Any) -> str | None:
    """What Discord would refuse in a message or interaction callback (400, code 50035): a
    content over 2,000 characters, more than 25 autocomplete choices or a choice name outside
    1-100 characters, a button's custom id over 100 or label over 80 characters, more than 5
    buttons in a row or 5 rows. None when the body is fine."""
    if not isinstance(body, dict):
        return None
    data = body.get("data") if isinstance(body.get("data"), dict) else body
    content = data.get("content")
    if content is not None and len(content) > 2000:
        return f"content: {len(content)} characters, must be 2000 or fewer"
    choices = data.get("choices")
    if choices is not None:
        if len(choices) > 25:
            return f"choices: {len(choices)}, must be 25 or fewer"
        for choice in choices:
            if not 1 <= len(str(choice.get("name", ""))) <= 100 or len(str(choice["value"])) > 100:
                return f"choice {choice!r}: name must be 1-100 characters, value at most 100"
    rows = data.get("components") or []
    if len(rows) > 5:
        return f"components: {len(rows)} rows, must be 5 or fewer"
    for row in rows:
        buttons = row.get("components") or []
        if len(buttons) > 5:
            return f"components: {len(buttons)} in a row, must be 5 or fewer"
        for button in buttons:
            if len(button.get("custom_id") or "") > 100 or len(button.get("label") or "") > 80:
                return f"button {button!r}: custom_id at most 100, label at most 80 characters"
    return None


class FakeDiscord:
    """Start with ``await fake.start()``; ``rest_base`` and ``gateway_url`` are then set."""

    def __init__(self, shard_count: int = 1) -> None:
        self.shard_count = shard_count
        self.bot_user = user(snowflake(), "quotebot", bot=True)
        self.application_id = self.bot_user["id"]
        self.owner = user(snowflake(), "owner")
        self.member = user(snowflake(), "reader")
        self.admin = user(snowflake(), "admin")
        self.guild_id = guild_snowflake(0, shard_count)
        self.channel_id = snowflake()
        self.dm_channel_id = snowflake()
        # user id -> the DM channel with the bot (the member's is the one their DMs come from)
        self.dm_channels: dict[str, str] = {self.member["id"]: self.dm_channel_id}
        self.dms_closed: set[str] = set()  # ids of users who take no DMs from the bot
        self.expired: set[str] = set()  # interaction tokens refused as expired
        self.thread_id = snowflake()
        # server id -> its text channel; the first one also has a thread
        self.guild_channels: dict[str, str] = {self.guild_id: self.channel_id}
        # a second server on shard 0, for isolation tests
        self.other_guild_id = self.add_guild(0)
        self.other_channel_id = self.guild_channels[self.other_guild_id]
        self.token = "fake.token.for-tests"
        self.calls: list[Call] = []
        self.messages: dict[str, dict] = {}  # every message seen or sent, by id
        self.files: dict[str, bytes] = {}  # attachments served at /files/<name>
        self.identify: dict | None = None
        self.identifies: list[dict] = []
        self.message_content_allowed = True  # False: close with 4014 like an app without it
        # channel id -> permissions its overwrite denies @everyone (the bot included); a
        # thread has its parent's. Set before the bot connects (GUILD_CREATE carries them).
        self.denied: dict[str, int] = {}
        self._ws: web.WebSocketResponse | None = None  # the latest connection
        self._shards: dict[int, web.WebSocketResponse] = {}  # shard id -> its connection
        self._seq = 0
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # -- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/files/{name}", self._file)
        app.router.add_route("*", API + "/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        for ws in {*self._shards.values(), *([self._ws] if self._ws else [])}:
            if not ws.closed:
                await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def rest_base(self) -> str:
        return self.base_url + API

    @property
    def gateway_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/gateway"

    # -- gateway ----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41_250}, "s": None, "t": None})
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            payload = json.loads(frame.data)
            if payload["op"] == 1:  # heartbeat
                await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif payload["op"] == 2:  # identify
                self.identify = payload["d"]
                self.identifies.append(payload["d"])
                if not self.message_content_allowed and payload["d"]["intents"] & 1 << 15:
                    await ws.close(code=4014, message=b"Disallowed intent(s).")
                    break
                shard, count = payload["d"].get("shard") or [0, 1]
                if count != self.shard_count or not 0 <= shard < count:
                    await ws.close(code=4010, message=b"Invalid shard.")
                    break
                self._shards[shard] = ws
                mine = [g for g in self.guild_channels if self.shard_of(g) == shard]
                await self.dispatch("READY", {
                    "v": 10, "user": self.bot_user, "session_id": f"fake-session-{shard}",
                    "resume_gateway_url": self.gateway_url, "shard": [shard, count],
                    "guilds": [{"id": g, "unavailable": True} for g in mine],
                    "application": {"id": self.application_id, "flags": 0},
                    "private_channels": [],
                }, shard=shard)
                for guild_id in mine:
                    await self.dispatch("GUILD_CREATE", self.guild(guild_id), shard=shard)
            async with self._changed:
                self._changed.notify_all()
        return ws

    def shard_of(self, guild_id: str | None) -> int:
        """The shard Discord sends this server's events to (direct messages: shard 0)."""
        return (int(guild_id) >> 22) % self.shard_count if guild_id else 0

    def add_guild(self, shard: int = 0) -> str:
        """Another server with one text channel, on ``shard``; returns its id (its channel is
        ``guild_channels[id]``). Add servers before the bot connects."""
        guild_id = guild_snowflake(shard, self.shard_count)
        self.guild_channels[guild_id] = snowflake()
        return guild_id

    async def dispatch(self, event: str, data: dict, *, shard: int | None = None) -> None:
        """Send a gateway event to the connection of its server's shard (or of ``shard``)."""
        if shard is None:
            guild_id = data.get("guild_id") or (data.get("id") if event in ("GUILD_CREATE",
                                                                            "GUILD_DELETE")
                                                else None)
            shard = self.shard_of(guild_id)
        ws = self._shards.get(shard)
        assert ws is not None, f"no bot connection for shard {shard}"
        self._seq += 1
        await ws.send_json({"op": 0, "t": event, "s": self._seq, "d": data})

    def guild(self, guild_id: str | None = None) -> dict:
        guild_id = guild_id or self.guild_id
        channel_id = self.guild_channels[guild_id]
        threads = [] if guild_id != self.guild_id else [
            {"id": self.thread_id, "guild_id": self.guild_id, "type": 11,
             "parent_id": self.channel_id, "owner_id": self.member["id"],
             "name": "tea talk", "message_count": 0, "member_count": 1,
             "rate_limit_per_user": 0, "flags": 0,
             "thread_metadata": {"archived": False, "locked": False,
                                 "auto_archive_duration": 1440, "archive_timestamp": now()}}]
        return {
            "id": guild_id, "name": "Test server", "owner_id": self.owner["id"],
            "unavailable": False, "member_count": 3, "large": False, "features": [],
            "emojis": [], "stickers": [], "voice_states": [], "presences": [],
            "members": [{"user": self.bot_user, "roles": [], "joined_at": now(), "deaf": False,
                         "mute": False, "flags": 0}],  # Discord always sends the bot's own
            "stage_instances": [], "guild_scheduled_events": [],
            "threads": threads,
            "roles": [{"id": guild_id, "name": "@everyone", "permissions":
                       str(EVERYONE_PERMISSIONS), "position": 0, "color": 0, "hoist": False,
                       "managed": False, "mentionable": False, "flags": 0}],
            "channels": [{"id": channel_id, "type": 0, "name": "general", "position": 0,
                          "permission_overwrites": [
                              {"id": guild_id, "type": 0, "allow": "0",
                               "deny": str(self.denied[channel_id])}
                          ] if self.denied.get(channel_id) else [], "guild_id": guild_id}],
            "joined_at": now(), "system_channel_id": None, "afk_timeout": 300,
            "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0, "premium_tier": 0,
            "preferred_locale": "en-US",
        }

    def _member(self, who: dict, permissions: int) -> dict:
        return {"user": who, "roles": [], "joined_at": now(), "deaf": False, "mute": False,
                "flags": 0, "permissions": str(permissions)}

    # -- what tests send ----------------------------------------------------------------------

    async def send_message(self, content: str, *, author: dict | None = None,
                           mention_bot: bool = True, reply_to: str | None = None,
                           dm: bool = False, channel: str | None = None,
                           guild: str | None = None, files: tuple[str, ...] = ()) -> dict:
        """A member posts ``content`` in the text channel (or ``channel``, e.g. ``thread_id``;
        a DM when ``dm``) of the first server (or of ``guild``), with attachments named
        ``files``; returns the message."""
        author = author or self.member
        guild = guild or self.guild_id
        message = {
            "id": snowflake(),
            "channel_id": self.dm_channel_id if dm else channel or self.guild_channels[guild],
            "author": author, "content": content, "timestamp": now(), "edited_timestamp": None,
            "tts": False, "mention_everyone": False, "mention_roles": [],
            "attachments": [{"id": snowflake(), "filename": name, "size": 1000,
                             "url": f"{self.base_url}/files/{name}",
                             "proxy_url": f"{self.base_url}/files/{name}"} for name in files],
            "embeds": [], "pinned": False, "type": 19 if reply_to else 0, "flags": 0,
            "components": [],
            "mentions": [self.bot_user] if mention_bot else [],
        }
        if not dm:
            message["guild_id"] = guild
            message["member"] = {"roles": [], "joined_at": now(), "deaf": False, "mute": False,
                                 "flags": 0}
        if reply_to:
            message["message_reference"] = {"message_id": reply_to,
                                            "channel_id": message["channel_id"],
                                            **({} if dm else {"guild_id": guild})}
            message["referenced_message"] = self.messages.get(reply_to)
        self.messages[message["id"]] = message
        await self.dispatch("MESSAGE_CREATE", message)
        return message

    async def edit_message(self, message: dict, content: str) -> dict:
        """The member edits their ``message`` (as ``send_message`` returned it): Discord sends
        the whole message again as ``MESSAGE_UPDATE``."""
        mentioned = re.search(rf"<@!?{self.bot_user['id']}>", content) is not None
        message.update(content=content, edited_timestamp=now(),
                       mentions=[self.bot_user] if mentioned else [])
        await self.dispatch("MESSAGE_UPDATE", message)
        return message

    async def delete_message(self, message: dict) -> None:
        """The member deletes their ``message``."""
        self.messages.pop(message["id"], None)
        await self.dispatch("MESSAGE_DELETE", {"id": message["id"],
                                               "channel_id": message["channel_id"],
                                               **({"guild_id": message["guild_id"]}
                                                  if "guild_id" in message else {})})

    def _interaction(self, kind: int, data: dict, *, who: dict | None, permissions: int,
                     message: dict | None = None, dm: bool = False,
                     guild: str | None = None) -> dict:
        who = who or self.member
        guild = guild or self.guild_id
        channel = self.guild_channels[guild]
        interaction = {
            "id": time_snowflake(), "application_id": self.application_id, "type": kind,
            "data": data, "token": f"itoken-{snowflake()}", "version": 1, "locale": "en-US",
            "app_permissions": str(EVERYONE_PERMISSIONS), "entitlements": [],
            "authorizing_integration_owners": {"0": guild}, "context": 1 if dm else 0,
            "attachment_size_limit": 10_485_760,
        }
        if dm:
            interaction["channel_id"] = self.dm_channel_id
            interaction["channel"] = {"id": self.dm_channel_id, "type": 1}
            interaction["user"] = who
        else:
            interaction.update(guild_id=guild, channel_id=channel,
                               guild_locale="en-US", member=self._member(who, permissions),
                               channel={"id": channel, "type": 0, "name": "general",
                                        "guild_id": guild, "position": 0,
                                        "permission_overwrites": []})
        if message is not None:
            interaction["message"] = message
        return interaction

    async def slash(self, name: str, *, user: dict | None = None,
                    permissions: int = EVERYONE_PERMISSIONS, dm: bool = False,
                    attachments: dict[str, tuple[str, bytes]] | None = None,
                    guild: str | None = None, **options: Any) -> dict:
        """Invoke ``/name option=value …`` (in the first server, or ``guild``); returns the
        interaction (its token finds replies).

        ``attachments`` maps an option name to (file name, content) for Attachment options."""
        kinds = {bool: 5, int: 4, float: 10, str: 3}
        data: dict[str, Any] = {"id": snowflake(), "name": name, "type": 1, "options": [
            {"name": key, "type": kinds[type(value)], "value": value}
            for key, value in options.items() if value is not None]}
        for option, (filename, content) in (attachments or {}).items():
            attachment_id = snowflake()
            self.files[filename] = content
            data["options"].append({"name": option, "type": 11, "value": attachment_id})
            data.setdefault("resolved", {}).setdefault("attachments", {})[attachment_id] = {
                "id": attachment_id, "filename": filename, "size": len(content),
                "url": f"{self.base_url}/files/{filename}",
                "proxy_url": f"{self.base_url}/files/{filename}",
                "content_type": "text/plain; charset=utf-8"}
        interaction = self._interaction(2, data, who=user, permissions=permissions, dm=dm,
                                        guild=guild)
        await self.dispatch("INTERACTION_CREATE", interaction)
        return interaction

    async def message_menu(self, name: str, message: dict, *, user: dict | None = None,
                           guild: str | None = None) -> dict:
        """Pick ``name`` from ``message``'s Apps menu (a message context-menu command)."""
        data = {"id": snowflake(), "name": name, "type": 3, "target_id": message["id"],
                "resolved": {"messages": {message["id"]: message}}}
        interaction = self._interaction(2, data, who=user, permissions=EVERYONE_PERMISSIONS,
                                        guild=guild)
        await self.dispatch("INTERACTION_CREATE", interaction)
        return interaction

    async def autocomplete(self, name: str, option: str, typed: str, *, guild: str | None = None,
                           **options: Any) -> dict:
        """Type ``typed`` into ``option`` of ``/name``; returns the interaction."""
        data = {"id": snowflake(), "name": name, "type": 1, "options": [
            *({"name": k, "type": 3, "value": v} for k, v in options.items()),
            {"name": option, "type": 3, "value": typed, "focused": True}]}
        interaction = self._interaction(4, data, who=None, permissions=EVERYONE_PERMISSIONS,
                                        guild=guild)
        await self.dispatch("INTERACTION_CREATE", interaction)
        return interaction

    async def click(self, message: dict, custom_id: str, *, user: dict | None = None,
                    guild: str | None = None) -> dict:
        """Click the button ``custom_id`` under ``message``; returns the interaction."""
        interaction = self._interaction(3, {"custom_id": custom_id, "component_type": 2},
                                        who=user, permissions=EVERYONE_PERMISSIONS,
                                        message=message, guild=guild)
        await self.dispatch("INTERACTION_CREATE", interaction)
        return interaction

    def expire(self, interaction: dict) -> None:
        """The interaction's 15 minutes are over: its follow-ups and edits are refused from now
        on (401, code 50027), as Discord refuses an expired token."""
        self.expired.add(interaction["token"])

    # -- what tests check ---------------------------------------------------------------------

    async def wait_for(self, predicate: Callable[[Call], bool], *, count: int = 1,
                       timeout: float = 10.0) -> list[Call]:
        """Wait until ``count`` recorded calls match ``predicate``; return them."""
        async def matched() -> list[Call]:
            async with self._changed:
                while True:
                    found = [c for c in self.calls if predicate(c)]
                    if len(found) >= count:
                        return found
                    await self._changed.wait()
        return await asyncio.wait_for(matched(), timeout)

    async def settle(self, delay: float = 0.2) -> None:
        """Give the bot a moment to make any further calls (for asserting on what is absent)."""
        await asyncio.sleep(delay)

    def replies_to(self, interaction: dict) -> list[Call]:
        """The callback and follow-ups of one interaction, in order."""
        token = interaction["token"]
        return [c for c in self.calls if token in c.path]

    async def followups(self, interaction: dict, count: int = 1, **kw) -> list[Call]:
        token = interaction["token"]
        return await self.wait_for(
            lambda c: c.method == "POST" and c.path.startswith("/webhooks/") and token in c.path,
            count=count, **kw)

    def followups_now(self, interaction: dict) -> list[Call]:
        """The follow-ups of ``interaction`` sent so far (without waiting)."""
        return [c for c in self.replies_to(interaction)
                if c.method == "POST" and c.path.startswith("/webhooks/")]

    async def direct_messages(self, user: dict, count: int = 1, **kw) -> list[Call]:
        """The messages the bot sent (or tried to send) to ``user`` by DM."""
        return await self.wait_for(
            lambda c: c.method == "POST" and user["id"] in self.dm_channels
            and c.path == f"/channels/{self.dm_channels[user['id']]}/messages", count=count, **kw)

    async def channel_posts(self, count: int = 1, channel: str | None = None,
                            **kw) -> list[Call]:
        path = f"/channels/{channel or self.channel_id}/messages"
        return await self.wait_for(lambda c: c.method == "POST" and c.path == path,
                                   count=count, **kw)

    # -- REST -------------------------------------------------------------------------------

    async def _file(self, request: web.Request) -> web.Response:
        body = self.files.get(request.match_info["name"])
        if body is None:
            return web.Response(status=404)
        return web.Response(body=body, content_type="text/plain")

    async def _read(self, request: web.Request) -> tuple[Any, dict[str, bytes]]:
        if not request.can_read_body:
            return None, {}
        if request.content_type.startswith("multipart/"):
            payload, files = None, {}
            reader = await request.multipart()
            async for part in reader:
                body = await part.read()
                if part.name == "payload_json":
                    payload = json.loads(body)
                else:
                    files[part.filename or part.name or "?"] = bytes(body)
            return payload, files
        text = await request.text()
        return (json.loads(text) if text else None), {}

    @staticmethod
    def _json(data: Any, status: int = 200) -> web.Response:
        # discord.py wants exactly "application/json" (no charset) to parse a reply
        return web.Response(status=status, body=json.dumps(data).encode(),
                            headers={"Content-Type": "application/json"})

    def _sent_message(self, channel_id: str, payload: dict, *, flags: int = 0,
                      interaction: bool = False) -> dict:
        message = {
            "id": snowflake(), "channel_id": channel_id, "author": self.bot_user,
            "content": payload.get("content") or "", "timestamp": now(),
            "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
            "mention_roles": [], "attachments": [], "embeds": payload.get("embeds") or [],
            "pinned": False, "type": 19 if payload.get("message_reference") else 0,
            "flags": flags | int(payload.get("flags") or 0),
            "components": payload.get("components") or [],
        }
        if interaction:
            message["type"] = 20
        if channel_id not in self.dm_channels.values():
            owners = {c: g for g, c in self.guild_channels.items()}
            message["guild_id"] = owners.get(channel_id, self.guild_id)
        if payload.get("message_reference"):
            message["message_reference"] = payload["message_reference"]
        self.messages[message["id"]] = message
        return message

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body, files = await self._read(request)
        call = Call(request.method, path, dict(request.query), body, files)
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        needs_token = not path.startswith(("/webhooks/", "/interactions/"))
        if needs_token and request.headers.get("Authorization") != f"Bot {self.token}":
            return self._json({"message": "401: Unauthorized", "code": 0}, status=401)
        return self._route(call)

    def _route(self, call: Call) -> web.Response:
        method, path, body = call.method, call.path, call.json or {}
        app = self.application_id
        if method in ("POST", "PATCH") and (problem := invalid_body(body)):
            return self._json({"message": "Invalid Form Body", "code": 50035,
                               "errors": problem}, status=400)
        if method == "GET" and path == "/users/@me":
            return self._json(self.bot_user)
        if method == "GET" and path == "/oauth2/applications/@me":
            return self._json({
                "id": app, "name": "quotebot", "description": "", "icon": None,
                "bot_public": True, "bot_require_code_grant": False, "owner": self.owner,
                "verify_key": "00", "flags": 0, "team": None, "summary": "",
                "interactions_endpoint_url": None, "bot": self.bot_user})
        if method == "GET" and path in ("/gateway", "/gateway/bot"):
            return self._json({"url": self.gateway_url, "shards": self.shard_count,
                               "session_start_limit": {
                "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}})
        if method == "PUT" and re.fullmatch(rf"/applications/{app}(/guilds/\d+)?/commands", path):
            # as Discord: context menus get an empty description
            return self._json([{"description": "", **command, "id": snowflake(),
                                "application_id": app,
                                "version": snowflake(), "default_member_permissions":
                                command.get("default_member_permissions"), "type":
                                command.get("type", 1)} for command in body or []])
        if method == "POST" and path == "/users/@me/channels":  # the bot opens a DM
            recipient = str(body.get("recipient_id"))
            who = next((u for u in (self.member, self.admin, self.owner)
                        if u["id"] == recipient), None)
            if who is None:
                return self._json({"message": "Unknown User", "code": 10013}, 404)
            channel_id = self.dm_channels.setdefault(recipient, snowflake())
            return self._json({"id": channel_id, "type": 1, "recipients": [who],
                               "last_message_id": None})
        if method == "POST" and (match := re.fullmatch(r"/channels/(\d+)/messages", path)) and \
                match[1] in {self.dm_channels.get(u) for u in self.dms_closed}:
            return self._json({"message": "Cannot send messages to this user", "code": 50007},
                              403)
        if match := re.fullmatch(r"/channels/(\d+)/(typing|messages)", path):
            channel = self.channel_id if match[1] == self.thread_id else match[1]
            denied = self.denied.get(channel, 0)
            send = SEND_MESSAGES_IN_THREADS if match[1] == self.thread_id else SEND_MESSAGES
            if method == "POST" and denied & send:
                return self._json({"message": "Missing Permissions", "code": 50013}, 403)
            if method == "POST" and body.get("message_reference") and \
                    denied & READ_MESSAGE_HISTORY:
                return self._json({"message": "Cannot reply without permission to read message "
                                   "history", "code": 160002}, 400)
        if match := re.fullmatch(r"/channels/(\d+)/typing", path):
            return web.Response(status=204)
        if method == "POST" and (match := re.fullmatch(r"/channels/(\d+)/messages", path)):
            return self._json(self._sent_message(match[1], body))
        if match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path):
            message = self.messages.get(match[2])
            if message is None or message["channel_id"] != match[1]:
                return self._json({"message": "Unknown Message", "code": 10008}, 404)
            if method == "DELETE":
                del self.messages[match[2]]
                return web.Response(status=204)
            if method == "PATCH":
                if message["author"]["id"] != self.bot_user["id"]:
                    return self._json({"message": "Cannot edit a message authored by another "
                                       "user", "code": 50005}, 403)
                for key in ("content", "embeds", "components", "flags"):
                    if key in body:
                        message[key] = body[key] if body[key] is not None else (
                            "" if key == "content" else [] if key != "flags" else 0)
                message["edited_timestamp"] = now()
                return self._json(message)
        if method == "POST" and (match := re.fullmatch(r"/interactions/\d+/([^/]+)/callback",
                                                        path)):
            if match[1] in self.expired:
                return self._json({"message": "Unknown interaction", "code": 10062}, 404)
            interaction_id = path.split("/")[2]
            data = body.get("data") or {}
            reply = {"interaction": {"id": interaction_id, "type": 2,
                                     "response_message_loading": body.get("type") == 5,
                                     "response_message_ephemeral":
                                         bool(int(data.get("flags") or 0) & 64)}}
            if body.get("type") == 4:
                message = self._sent_message(self.channel_id, data, interaction=True)
                reply["interaction"]["response_message_id"] = message["id"]
                reply["resource"] = {"type": 4, "message": message}
            elif body.get("type") in (5, 6):
                reply["resource"] = {"type": body["type"]}
            return self._json(reply)
        if match := re.fullmatch(rf"/webhooks/{app}/([^/]+)(?:/messages/([^/]+))?", path):
            if match[1] in self.expired:
                return self._json({"message": "Invalid Webhook Token", "code": 50027}, 401)
            if method == "POST" and match[2] is None:
                return self._json(self._sent_message(self.channel_id, body, interaction=True))
            if method == "DELETE":
                return web.Response(status=204)
            if method in ("PATCH", "GET"):
                return self._json(self._sent_message(self.channel_id, body, interaction=True))
        return self._json({"message": f"fake Discord has no route {method} {path}", "code": 0},
                          status=404)
