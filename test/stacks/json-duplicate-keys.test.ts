// The duplicate-key scanner: every repeated key of every object, with the object's path and both lines, and nothing else.
import { duplicateKeys } from '../../stacks/json-duplicate-keys';

describe('duplicateKeys', () => {
  it('finds nothing in JSON without repeated keys', () => {
    expect(duplicateKeys('{"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]}')).toEqual([]);
  });

  it('names a key repeated at the top level', () => {
    expect(duplicateKeys('{\n"a": 1,\n"a": 2\n}')).toEqual([{ key: 'a', path: [], line: 3, firstLine: 2 }]);
  });

  it('reports every repetition, in document order', () => {
    expect(duplicateKeys('{"a":1,"b":2,"a":3,"b":4,"a":5}').map((d) => d.key)).toEqual(['a', 'b', 'a']);
  });

  it.each<[string, string, (string | number)[]]>([
    ['an object in an object', '{"key": {"alias": "x", "alias": "y"}}', ['key']],
    ['an object in an array', '{"buckets": [{"name": "a"}, {"name": "b", "name": "c"}]}', ['buckets', 1]],
    ['an array after scalars and strings', '{"a": [1, "two", null, true, {"k": 1, "k": 2}]}', ['a', 4]],
    ['nested arrays', '{"a": [[], [0, {"k": 1, "k": 2}]]}', ['a', 1, 1]],
    ['an object after a nested object closes', '{"a": {"b": {}}, "c": {"d": 1, "d": 2}}', ['c']],
    ['a top-level array', '[{"k": 1}, {"k": 1, "k": 1}]', [1]],
  ])('gives the path of %s', (_where, text, path) => {
    expect(duplicateKeys(text)).toEqual([expect.objectContaining({ path })]);
  });

  it('reads keys after decoding their escapes, as JSON.parse does', () => {
    expect(duplicateKeys('{"name": 1, "\\u006eame": 2}')).toEqual([{ key: 'name', path: [], line: 1, firstLine: 1 }]);
  });

  it('takes no string value for a key, whatever it holds', () => {
    const text = '{"a": "b", "c": "a", "d": "{\\"a\\": 1, \\"a\\": 2}", "e": ["a", "a"]}';
    expect(duplicateKeys(text)).toEqual([]);
  });

  it('keeps counting lines through strings, numbers and CRLF line ends', () => {
    const text = '{\r\n  "a": "x\\ny",\r\n  "b": -1.5e3,\r\n  "a": 2\r\n}';
    expect(duplicateKeys(text)).toEqual([{ key: 'a', path: [], line: 4, firstLine: 2 }]);
  });

  it('walks a deeply nested document without overflowing the stack', () => {
    const depth = 100_000;
    const text = `${'{"a":'.repeat(depth)}{"k":1,"k":2}${'}'.repeat(depth)}`;
    const [found] = duplicateKeys(text);
    expect(found?.key).toBe('k');
    expect(found?.path).toHaveLength(depth);
  });
});
