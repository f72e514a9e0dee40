using System.Collections;

namespace OpenGov.Tabular;

/// <summary>
/// Rows replayed after type inference: the sampled rows first, then the rest of the stream. Can be enumerated once.
/// <see cref="CurrentRowNumber"/> is the publisher's row number of the row last yielded (0 when not known).
/// </summary>
public sealed class SampledRows : IEnumerable<string[]>
{
    private readonly List<string[]> _sample;
    private readonly List<long>? _numbers;
    private readonly IEnumerator<string[]> _rest;
    private readonly Func<long>? _restNumber;
    private bool _used;

    internal SampledRows(List<string[]> sample, List<long>? numbers, IEnumerator<string[]> rest, Func<long>? restNumber)
    {
        _sample = sample;
        _numbers = numbers;
        _rest = rest;
        _restNumber = restNumber;
    }

    /// <summary>1-based row number in the publisher's file of the row last yielded (0 when rows were given without a table).</summary>
    public long CurrentRowNumber { get; private set; }

    /// <inheritdoc />
    public IEnumerator<string[]> GetEnumerator()
    {
        if (_used)
        {
            throw new InvalidOperationException("The replayed rows can be enumerated only once.");
        }
        _used = true;
        return Iterate();
    }

    private IEnumerator<string[]> Iterate()
    {
        try
        {
            for (var i = 0; i < _sample.Count; i++)
            {
                var r = _sample[i];
                _sample[i] = null!;
                CurrentRowNumber = _numbers?[i] ?? 0;
                yield return r;
            }
            while (_rest.MoveNext())
            {
                CurrentRowNumber = _restNumber?.Invoke() ?? 0;
                yield return _rest.Current;
            }
        }
        finally
        {
            _rest.Dispose();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
