#!/usr/bin/env python3
"""A small asyncio ARI application on the client that ari-codegen generates.

It listens to the event WebSocket of a Stasis application and, for each channel that
enters it, answers, plays ``sound:hello-world``, waits for that playback to finish (or a
timeout) and hangs up.  It logs DTMF digits and channels leaving, survives a dropped
WebSocket (the client reconnects) and events it cannot decode, and a failed call (the
caller hung up meanwhile: ``NotFound``) ends that call only.  Ctrl-C or ``--max-events``
stops it.  See README.md beside this file for how to run it against a real Asterisk.

It imports ``ari_models``, a package generated from your Asterisk's spec::

    ari-codegen generate <spec> --out models --package ari_models
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import uuid

from ari_models.client import (
    AriClientError,
    AriError,
    AsyncClient,
    Backoff,
    NotFound,
)
from ari_models.models import (
    Channel,
    ChannelDtmfReceived,
    Message,
    Playback,
    PlaybackFinished,
    StasisEnd,
    StasisStart,
)

log = logging.getLogger("ari_client")

MEDIA = "sound:hello-world"


class HelloWorld:
    """The application: one task per call, each playback's end awaited by its id."""

    def __init__(self, client: AsyncClient, playback_timeout: float) -> None:
        self.client = client
        self.playback_timeout = playback_timeout
        self.calls: set[asyncio.Task[None]] = set()
        # Playbacks we started, by the id we chose: resolved by their PlaybackFinished.
        self.playbacks: dict[str, asyncio.Future[Playback]] = {}

    def handle(self, message: Message) -> None:
        match message:
            case StasisStart(channel=channel, args=args):
                log.info("StasisStart: channel %s (%s) args=%s", channel.id, channel.name, args)
                call = asyncio.create_task(self.greet(channel))
                self.calls.add(call)
                call.add_done_callback(self.calls.discard)
            case PlaybackFinished(playback=playback):
                finished = self.playbacks.get(playback.id)
                if finished is not None and not finished.done():
                    finished.set_result(playback)
            case ChannelDtmfReceived(channel=channel, digit=digit):
                log.info("DTMF %r on channel %s", digit, channel.id)
            case StasisEnd(channel=channel):
                log.info("StasisEnd: channel %s left the application", channel.id)
            case _:
                log.debug("ignored %s", message.type)

    async def greet(self, channel: Channel) -> None:
        """Answer, play hello-world, wait for its end, hang up: each step may fail alone."""
        channels = self.client.channels
        try:
            await channels.answer(channel_id=channel.id)
            log.info("answered channel %s", channel.id)
            # Our own playback id, registered before play(): its PlaybackFinished can
            # arrive before play() returns.
            playback_id = str(uuid.uuid4())
            finished = asyncio.get_running_loop().create_future()
            self.playbacks[playback_id] = finished
            try:
                playback = await channels.play(
                    channel_id=channel.id, media=[MEDIA], playback_id=playback_id
                )
                log.info(
                    "playing %s on %s (playback %s)", playback.media_uri, channel.id, playback.id
                )
                try:
                    done = await asyncio.wait_for(finished, self.playback_timeout)
                    log.info("playback %s finished (%s)", done.id, done.state)
                except asyncio.TimeoutError:
                    log.warning("playback %s: no PlaybackFinished in time", playback_id)
            finally:
                del self.playbacks[playback_id]
            await channels.hangup(channel_id=channel.id)
            log.info("hung up channel %s", channel.id)
        except NotFound as exc:  # the caller hung up meanwhile: nothing left to do
            log.info("channel %s is gone: %s", channel.id, exc)
        except AriError as exc:  # any other error answer (409 not in Stasis, ...)
            log.warning("channel %s: %s", channel.id, exc)
        except AriClientError as exc:  # no answer, or an answer that does not decode
            log.warning("channel %s: %s", channel.id, exc)

    async def finish_calls(self) -> None:
        """Let the calls in progress end (each is bounded by the playback timeout)."""
        if self.calls:
            await asyncio.gather(*self.calls, return_exceptions=True)

    async def cancel_calls(self) -> None:
        for call in self.calls:
            call.cancel()
        await self.finish_calls()


def on_reconnect(reconnects: int) -> None:
    # Events sent while the socket was down are lost: a real application would re-read
    # the state it depends on here (client.channels.list(), ...).
    log.warning("event WebSocket reconnected (%d so far); events may have been missed", reconnects)


def on_decode_error(frame: str, error: Exception) -> None:
    log.warning("undecodable event skipped: %s: %.200s", error, frame)


async def listen(args: argparse.Namespace) -> None:
    async with AsyncClient(
        args.url, username=args.user, password=args.password, timeout=args.timeout
    ) as client:
        app = HelloWorld(client, args.playback_timeout)
        stream = client.events.event_websocket(
            app=[args.app],
            reconnect=Backoff(initial=0.5, maximum=10.0),  # forever, at most 10 s apart
            on_decode_error=on_decode_error,
            on_reconnect=on_reconnect,
        )
        try:
            async with stream:
                log.info("listening to application %r at %s", args.app, args.url)
                count = 0
                async for message in stream:
                    app.handle(message)
                    count += 1
                    if args.max_events is not None and count >= args.max_events:
                        log.info("stopping after %d events", count)
                        break
            await app.finish_calls()
        finally:
            await app.cancel_calls()  # Ctrl-C or an error: calls in progress are abandoned


async def main_async(args: argparse.Namespace) -> int:
    """``listen`` until it ends or SIGINT (Ctrl-C) cancels it; the exit status."""
    task = asyncio.ensure_future(listen(args))
    interrupted = False

    def interrupt() -> None:
        nonlocal interrupted
        interrupted = True
        task.cancel()

    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError):  # Windows: KeyboardInterrupt instead
        loop.add_signal_handler(signal.SIGINT, interrupt)
    try:
        await task
    except asyncio.CancelledError:
        if not interrupted:
            raise
        log.info("interrupted, bye")
    except AriError as exc:  # the first connection was refused (401: wrong password, ...)
        log.error("ARI at %s refused us: %s", args.url, exc)
        return 1
    except AriClientError as exc:  # cannot connect, or gave up reconnecting
        log.error("cannot talk to ARI at %s: %s", args.url, exc)
        return 1
    finally:
        with contextlib.suppress(NotImplementedError):
            loop.remove_signal_handler(signal.SIGINT)
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Hello-world ARI application (ari-codegen)")
    parser.add_argument("--url", default="http://localhost:8088/ari", help="ARI base URL")
    parser.add_argument("--app", default="hello-world", help="Stasis application name")
    parser.add_argument("--user", default="asterisk", help="ARI user (ari.conf)")
    parser.add_argument("--password", default="asterisk", help="ARI password (ari.conf)")
    parser.add_argument(
        "--playback-timeout",
        type=float,
        default=30.0,
        help="seconds to wait for PlaybackFinished before hanging up (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="REST call timeout (default: %(default)s)"
    )
    parser.add_argument("--max-events", type=int, help="stop after this many events")
    parser.add_argument("-v", "--verbose", action="store_true", help="log ignored events too")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    # httpx logs every request (its URL, with the api_key if you use one) at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.verbose:
        log.setLevel(logging.DEBUG)
    else:
        # The client logs drops, reconnects and skipped frames itself; on_reconnect and
        # on_decode_error above report them already.
        logging.getLogger("ari_models").setLevel(logging.ERROR)
    try:
        return asyncio.run(main_async(args))
    except KeyboardInterrupt:  # no signal handler (Windows)
        log.info("interrupted, bye")
        return 0


if __name__ == "__main__":
    sys.exit(main())
