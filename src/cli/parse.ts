// node's util.parseArgs in strict mode, with its multi-line errors turned into one-line UsageErrors.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;
/** Named, so the declaration build (tsconfig.build.json) can write the return type out. */
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>>;

function quotedOption(message: string): string {
  return /'(-[^' ]*)/.exec(message)?.[1] ?? 'option';
}

/** `command` is undefined for the flags given before any command (`synack --version`). */
export function parseCommandArgs<O extends Options>(command: string | undefined, args: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : String(err);
    const help = `run "synack ${command === undefined ? '' : `${command} `}--help" for usage`;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const where = command === undefined ? '' : ` for "${command}"`;
      throw new UsageError(`unknown option ${quotedOption(message)}${where}; ${help}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = quotedOption(message);
      if (/ambiguous|missing/.test(message)) {
        throw new UsageError(`option ${option} needs a value (write ${option}=VALUE for a value starting with "-")`);
      }
      if (/does not take an argument/.test(message)) throw new UsageError(`option ${option} takes no value`);
    }
    throw new UsageError(`${message.split('\n')[0]}; ${help}`);
  }
}
