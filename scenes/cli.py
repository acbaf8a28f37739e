"""The `squiggle` command line: parse arguments, then hand over to nnmath or the renderer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import nnmath
from nnmath import Network, fmt
from nnmath.presets import PRESETS


class UsageError(Exception):
    """A problem the user can fix, reported as one line with exit code 2."""


def load_network(name_or_path: str) -> Network:
    """A preset by name, or a TOML spec by path."""
    if name_or_path in PRESETS:
        return PRESETS[name_or_path]()
    path = Path(name_or_path)
    if path.suffix != ".toml" and not path.exists():
        known = ", ".join(PRESETS)
        raise UsageError(f"{name_or_path}: no such preset or spec file; use one of {known} or a .toml path")
    try:
        return nnmath.load(path)
    except nnmath.SpecError as error:
        raise UsageError(str(error)) from None


def film_chapters(name_or_path: str, network: Network, slugs: list[str] | None) -> list:
    """The film's chapters for `network` (only `slugs`, if given); one-line UsageError otherwise."""
    from scenes import film

    try:
        chapters = film.chapters_for(network)
        return film.select(chapters, slugs) if slugs else chapters
    except film.PlanError as error:
        raise UsageError(f"{name_or_path}: {error}") from None


def describe(network: Network) -> str:
    """Parameters and a small table of outputs, as plain text."""
    lines = [network.name or "(unnamed network)",
             f"inputs: {', '.join(network.inputs)}   outputs: {', '.join(network.outputs)}", ""]
    for i, layer in enumerate(network.layers):
        kind = "output layer" if i == len(network.layers) - 1 else f"hidden layer {i + 1}"
        lines.append(f"{kind}: {layer.size} node(s), activation {layer.activation}")
        for node, (row, bias) in enumerate(zip(layer.weights, layer.biases)):
            weights = ", ".join(fmt(w) for w in row)
            lines.append(f"  node {node + 1}: weights [{weights}]  bias {fmt(bias)}")
    if network.data is not None:
        samples, title = network.data.inputs, "at the data inputs"
    elif len(network.inputs) == 1:
        samples, title = np.linspace(*network.input_range, 5)[:, None], "over the input range"
    else:
        return "\n".join(lines)
    outputs = network.forward(samples)
    lines += ["", f"outputs {title}:",
              "  " + "  ".join(f"{name:>10}" for name in network.inputs + network.outputs)]
    for x, y in zip(samples, outputs):
        lines.append("  " + "  ".join(f"{fmt(v):>10}" for v in (*x, *y)))
    return "\n".join(lines)


def _show(args: argparse.Namespace) -> int:
    print(describe(load_network(args.network)))
    return 0


DEFAULT_OUTPUT = Path("media/squiggle")


def _render(args: argparse.Namespace) -> int:
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: the number of processes must be at least 1")
    from scenes import film, render  # Manim loads only for commands that draw

    network = load_network(args.network)
    chapters = film_chapters(args.network, network, args.chapter)
    name = film.FILM_NAME if args.network == "statquest" else Path(args.network).stem
    if args.chapter and len(chapters) == 1:
        name += "-" + chapters[0].slug
    output = Path(args.output) if args.output else DEFAULT_OUTPUT / f"{name}.mp4"
    quality = render.QUALITIES[args.quality]
    try:
        render.ensure_writable(output)
        written = render.render_film(chapters, quality, network, output, save_chapters=args.save_chapters,
                                     jobs=args.jobs or render.default_jobs())
    except render.RenderError as error:
        raise UsageError(str(error)) from None
    for path in written:
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="squiggle",
        description="Turn small neural networks into exact, animated explainer videos.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    show = commands.add_parser("show", help="print a network's parameters and outputs")
    show.add_argument("network", help=f"a preset ({', '.join(PRESETS)}) or a TOML spec path")
    show.set_defaults(run=_show)

    draw = commands.add_parser("render", help="render the walkthrough, or some chapters, to MP4")
    draw.add_argument("--network", default="statquest",
                      help="a preset or a TOML spec path (default: statquest)")
    draw.add_argument("--quality", choices=["low", "medium", "high", "4k"], default="high",
                      help="480p15, 720p30, 1080p60 or 2160p60 (default: high)")
    draw.add_argument("--chapter", action="append", metavar="NAME",
                      help="render only this chapter (repeatable); see `squiggle chapters`")
    draw.add_argument("--output", metavar="PATH", help="the MP4 to write (default: media/squiggle/NAME.mp4)")
    draw.add_argument("--save-chapters", action="store_true",
                      help="also write one MP4 per chapter beside the film")
    draw.add_argument("--jobs", type=int, metavar="N",
                      help="render chapters in N processes (default: the number of cores); unchanged "
                           "chapters are reused from the cache beside the output")
    draw.set_defaults(run=_render)

    _add_talk_commands(commands)
    listing = commands.add_parser("chapters", help="list the walkthrough's chapters")
    listing.set_defaults(run=_chapters)
    return parser


def _chapters(args: argparse.Namespace) -> int:
    from scenes import film

    for number, chapter in enumerate(film.WALKTHROUGH, start=1):
        print(f"{number:2d}  {chapter.slug:<12} {chapter.title}")
    return 0


DEFAULT_CLIPS = Path("media/clips")
DEFAULT_SLIDES = Path("media/slides")


def _numbered_chapters(args: argparse.Namespace, network: Network) -> list[tuple[int, type]]:
    """The chosen chapters, each with its number in the whole film (the film varies by network)."""
    numbers = {chapter.slug: n for n, chapter in enumerate(film_chapters(args.network, network, None), start=1)}
    return [(numbers[chapter.slug], chapter) for chapter in film_chapters(args.network, network, args.chapter)]


def _clips(args: argparse.Namespace) -> int:
    from scenes import clips, render

    network = load_network(args.network)
    chapters = _numbered_chapters(args, network)
    output = Path(args.output) if args.output else DEFAULT_CLIPS
    try:
        render.ensure_writable(output / "clip.mp4")
        written = clips.build_clips(chapters, render.QUALITIES[args.quality], output, args.alpha, args.gif)
    except render.RenderError as error:
        raise UsageError(str(error)) from None
    for path in written:
        print(path)
    return 0


def _slides(args: argparse.Namespace) -> int:
    from scenes import film, render, slides

    network = load_network(args.network)
    chapters = film_chapters(args.network, network, args.chapter)
    name = film.FILM_NAME if args.network == "statquest" else Path(args.network).stem
    if args.chapter and len(chapters) == 1:
        name += "-" + chapters[0].slug
    output = Path(args.output) if args.output else DEFAULT_SLIDES
    try:
        render.ensure_writable(output / f"{name}.html")
        written = slides.build_slides(chapters, render.QUALITIES[args.quality], output, name, network.name or name)
    except render.RenderError as error:
        raise UsageError(str(error)) from None
    for path in written:
        print(path)
    return 0


def _film_options(command: argparse.ArgumentParser, default_output: Path) -> None:
    """The options `clips` and `slides` share with `render`."""
    command.add_argument("--network", default="statquest", help="a preset or a TOML spec path (default: statquest)")
    command.add_argument("--quality", choices=["low", "medium", "high", "4k"], default="high",
                         help="480p15, 720p30, 1080p60 or 2160p60 (default: high)")
    command.add_argument("--chapter", action="append", metavar="NAME",
                         help="only this chapter (repeatable); see `squiggle chapters`")
    command.add_argument("--output", metavar="DIR", help=f"the folder to write into (default: {default_output})")


def _add_talk_commands(commands: argparse._SubParsersAction) -> None:
    """`clips` and `slides`: every beat of the film, ready for other people's talks."""
    cut = commands.add_parser("clips", help="one MP4, transparent video and PNG still (and GIF) per beat")
    _film_options(cut, DEFAULT_CLIPS)
    cut.add_argument("--alpha", choices=["webm", "mov"], default="webm",
                     help="the transparent variant: VP9 WebM (browsers) or QuickTime Animation MOV "
                          "(video editors) (default: webm)")
    cut.add_argument("--gif", action="store_true", help="also write a GIF per beat (at most 640 px wide, 15 fps)")
    cut.set_defaults(run=_clips)
    deck = commands.add_parser("slides", help="a deck with one slide per beat: offline HTML, PPTX and PDF")
    _film_options(deck, DEFAULT_SLIDES)
    deck.set_defaults(run=_slides)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as error:
        print(f"squiggle: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("squiggle: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `squiggle show x | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
