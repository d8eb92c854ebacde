"""`toc completion bash|zsh|fish`: a shell completion script, generated from the parser itself.

Generated, not written by hand, so that a new command, option or choice (a format a plug-in
registers) completes without anyone remembering to add it. shtab does this for bash and zsh but
not fish; the three scripts here are small enough to write from the parser directly. zsh runs the
bash script through its `bashcompinit`, as zsh documents for bash completions.
"""

from __future__ import annotations

import argparse
import shlex
from typing import Any, TextIO

from toc.cli.common import EXIT_OK, examples

__all__ = ["SHELLS", "add", "script"]

SHELLS = ("bash", "zsh", "fish")


def add(commands: Any) -> None:
    """Declare `toc completion`."""
    completion = commands.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description=(
            "Print the script that completes toc's commands, options and choices in a shell. Install it "
            "where the shell looks: bash: ~/.local/share/bash-completion/completions/toc; zsh: a file "
            "sourced from ~/.zshrc; fish: ~/.config/fish/completions/toc.fish."
        ),
        **examples("toc completion bash", "toc completion zsh", "toc completion fish"),
    )
    completion.add_argument("shell", choices=SHELLS)
    completion.set_defaults(run=_run)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    from toc.cli import build_parser

    out.write(script(build_parser(), args.shell))
    return EXIT_OK


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps its subparsers only here
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _summaries(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Each subcommand's one-line help, as `toc --help` lists it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {choice.dest: choice.help or "" for choice in action._choices_actions}
    return {}


def _options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [action for action in parser._actions if action.option_strings]


def _flat(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every command and nested subcommand ('import csv'), by its words after `toc`."""
    found = {}
    for name, sub in _subcommands(parser).items():
        words = f"{prefix} {name}".strip()
        found[words] = sub
        found.update(_flat(sub, words))
    return found


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for `shell` of the command line `parser` parses."""
    if shell == "fish":
        return _fish(parser)
    text = _bash(parser)
    if shell == "zsh":
        return "autoload -U +X bashcompinit && bashcompinit\n" + text
    return text


def _words(names: list[str]) -> str:
    return shlex.quote(" ".join(names))


def _bash(parser: argparse.ArgumentParser) -> str:
    commands = _flat(parser)
    lines = [
        "# toc's completion for bash (made by `toc completion bash`)",
        "_toc() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="" i',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        case "${COMP_WORDS[i]}" in',
        "            -*) ;;",
        '            *) if [[ -z "$cmd" ]]; then cmd="${COMP_WORDS[i]}"; '
        'elif [[ "$cmd" == import ]]; then cmd="import ${COMP_WORDS[i]}"; fi ;;',
        "        esac",
        "    done",
        '    case "$cmd" in',
    ]
    top = [*_subcommands(parser), *(o for a in _options(parser) for o in a.option_strings)]
    lines.append(f'        "") COMPREPLY=($(compgen -W {_words(top)} -- "$cur")) ;;')
    for words, sub in commands.items():
        options = _options(sub)
        lines.append(f"        {shlex.quote(words)})")
        lines.append('            case "$prev" in')
        for action in options:
            if action.nargs == 0:
                continue
            pattern = "|".join(action.option_strings)
            if action.choices:
                reply = f'COMPREPLY=($(compgen -W {_words([str(c) for c in action.choices])} -- "$cur"))'
            else:
                reply = 'COMPREPLY=($(compgen -f -- "$cur"))'
            lines.append(f"                {pattern}) {reply}; return ;;")
        lines.append("            esac")
        names = [*_subcommands(sub), *(o for a in options for o in a.option_strings)]
        lines.append(f'            COMPREPLY=($(compgen -W {_words(names)} -- "$cur"))')
        positional = [a for a in sub._actions if not a.option_strings and not isinstance(a, argparse._SubParsersAction)]
        choices = [str(c) for a in positional if a.choices for c in a.choices]
        if choices:
            lines.append(f'            COMPREPLY+=($(compgen -W {_words(choices)} -- "$cur"))')
        elif positional:
            lines.append('            [[ "$cur" != -* ]] && COMPREPLY+=($(compgen -f -- "$cur"))')
        lines.append("            ;;")
    lines += ["    esac", "}", "complete -o filenames -F _toc toc", ""]
    return "\n".join(lines)


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish(parser: argparse.ArgumentParser) -> str:
    lines = ["# toc's completion for fish (made by `toc completion fish`)", "complete -c toc -f"]
    commands = _subcommands(parser)
    for name, about in _summaries(parser).items():
        lines.append(f"complete -c toc -n __fish_use_subcommand -a {name} -d {_fish_quote(about[:80])}")
    for action in _options(parser):
        lines.extend(_fish_option(action, "__fish_use_subcommand"))
    for name, sub in commands.items():
        condition = _fish_quote(f"__fish_seen_subcommand_from {name}")
        for inner, nested in _subcommands(sub).items():
            about = _fish_quote(_summaries(sub).get(inner, "")[:80])
            lines.append(f"complete -c toc -n {condition} -a {inner} -d {about}")
            for action in _options(nested):
                lines.extend(_fish_option(action, _fish_quote(f"__fish_seen_subcommand_from {inner}")))
        for action in _options(sub):
            lines.extend(_fish_option(action, condition))
        positional = [a for a in sub._actions if not a.option_strings and not isinstance(a, argparse._SubParsersAction)]
        for action in positional:
            if action.choices:
                lines.append(f"complete -c toc -n {condition} -a {_fish_quote(' '.join(map(str, action.choices)))}")
            else:
                lines.append(f"complete -c toc -n {condition} -F")
    return "\n".join(lines) + "\n"


def _fish_option(action: argparse.Action, condition: str) -> list[str]:
    flags = []
    for option in action.option_strings:
        flags.append(f"-l {option[2:]}" if option.startswith("--") else f"-s {option[1:]}")
    line = f"complete -c toc -n {condition} {' '.join(flags)}"
    if action.help and action.help != argparse.SUPPRESS:
        line += f" -d {_fish_quote(action.help.split(';')[0][:80])}"
    if action.nargs != 0:
        line += f" -x -a {_fish_quote(' '.join(map(str, action.choices)))}" if action.choices else " -r -F"
    return [line]
