using System.Globalization;
using System.Text.Json.Nodes;

namespace OpenGov.Catalog.Editing;

/// <summary>A key or value package_revise cannot apply (CKAN's dictization DataError).</summary>
public sealed class DictPathException(string message) : Exception(message);

/// <summary>
/// CKAN's dictization functions behind package_revise (ckan/lib/navl/dictization_functions.py): string keys such as
/// <c>resources__0__name</c> or <c>resources__1f9ab__url</c> (an item of a list by index, negative from the end, or
/// by the first 5+ characters of its id), matching (<see cref="CheckDict"/>), glob filters ("+title", "-*") and
/// merging updates. Paths are lists of keys (string) and indexes (int), joined with "__" in messages.
/// </summary>
public static class DictPaths
{
    public static string Join(IEnumerable<object> path) =>
        string.Join("__", path.Select(p => p is int i ? i.ToString(CultureInfo.InvariantCulture) : p.ToString()));

    /// <summary>resolve_string_key: the node a string key names, and its path.</summary>
    public static (JsonNode? Node, List<object> Path) Resolve(JsonNode? data, string stringKey)
    {
        var path = new List<object>();
        var current = data;
        foreach (var k in stringKey.Split("__"))
        {
            if (current is JsonObject o)
            {
                if (!o.ContainsKey(k))
                {
                    throw Unmatched(path, k);
                }

                path.Add(k);
                current = o[k];
                continue;
            }

            if (current is not JsonArray a)
            {
                throw Unmatched(path, k);
            }

            if (k.Length >= 5)
            {
                var found = false;
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is not JsonObject rec || !rec.ContainsKey("id"))
                    {
                        throw Unmatched(path, k);
                    }

                    if (rec["id"]?.ToString().StartsWith(k, StringComparison.Ordinal) == true)
                    {
                        path.Add(i);
                        current = rec;
                        found = true;
                        break;
                    }
                }

                if (!found)
                {
                    throw Unmatched(path, k);
                }

                continue;
            }

            if (!int.TryParse(k, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) || index < -a.Count || index >= a.Count)
            {
                throw Unmatched(path, k);
            }

            path.Add(index);
            current = a[index < 0 ? a.Count + index : index];
        }

        return (current, path);
    }

    /// <summary>check_dict: the paths of <paramref name="select"/> whose values differ in <paramref name="data"/>.</summary>
    public static List<List<object>> CheckDict(JsonNode? data, JsonObject select, List<object> parent)
    {
        if (data is not JsonObject d)
        {
            return [parent];
        }

        var unmatched = new List<List<object>>();
        foreach (var (k, v) in select.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!d.ContainsKey(k))
            {
                unmatched.Add([.. parent, k]);
            }
            else
            {
                unmatched.AddRange(CheckValue(d[k], v, [.. parent, k]));
            }
        }

        return unmatched;
    }

    /// <summary>check_list.</summary>
    public static List<List<object>> CheckList(JsonNode? data, JsonArray select, List<object> parent)
    {
        if (data is not JsonArray d)
        {
            return [parent];
        }

        var unmatched = new List<List<object>>();
        for (var i = 0; i < select.Count; i++)
        {
            if (i >= d.Count)
            {
                unmatched.Add([.. parent, i]);
            }
            else
            {
                unmatched.AddRange(CheckValue(d[i], select[i], [.. parent, i]));
            }
        }

        return unmatched;
    }

    /// <summary>check_string_key.</summary>
    public static List<List<object>> CheckStringKey(JsonObject data, string stringKey, JsonNode? value)
    {
        var (current, path) = Resolve(data, stringKey);
        return CheckValue(current, value, path);
    }

    private static List<List<object>> CheckValue(JsonNode? current, JsonNode? value, List<object> path) => value switch
    {
        JsonObject o => CheckDict(current, o, path),
        JsonArray a => CheckList(current, a, path),
        _ => JsonNode.DeepEquals(current, value) ? [] : [path],
    };

    /// <summary>filter_glob_match: removes keys by glob patterns ("-x", "+x" protects, "*" every key at a level).</summary>
    public static void FilterGlobMatch(JsonNode? data, IEnumerable<string> patterns) =>
        Filter(data, [.. patterns.Select(p => (p.StartsWith('+'), p.TrimStart('-', '+').Split("__")))]);

    private static void Filter(JsonNode? data, List<(bool Keep, string[] Globs)> globs)
    {
        if (data is JsonObject o)
        {
            var protectedKeys = new List<KeyValuePair<string, JsonNode?>>();
            var children = new List<(string Head, List<(bool, string[])> Globs)>();
            foreach (var (keep, g) in globs)
            {
                var head = g[0];
                if (head == "*")
                {
                    if (keep)
                    {
                        protectedKeys.AddRange(o.ToList());
                    }
                    else
                    {
                        o.Clear();
                    }

                    continue;
                }

                if (!o.ContainsKey(head))
                {
                    continue;
                }

                if (g.Length > 1)
                {
                    Child(children, head).Add((keep, g[1..]));
                }
                else if (keep)
                {
                    protectedKeys.Add(new(head, o[head]));
                }
                else
                {
                    o.Remove(head);
                }
            }

            foreach (var (k, v) in protectedKeys)
            {
                if (!o.TryGetPropertyValue(k, out var present) || !ReferenceEquals(present, v))
                {
                    o.Remove(k);
                    if (v?.Parent is JsonObject parent)
                    {
                        parent.Remove(k);
                    }

                    o[k] = v;
                }
            }

            foreach (var (head, g) in children)
            {
                if (o.ContainsKey(head))
                {
                    Filter(o[head], g);
                }
            }

            return;
        }

        if (data is not JsonArray a)
        {
            return;
        }

        var kept = new HashSet<int>();
        var removed = new HashSet<int>();
        var items = new List<(int Index, List<(bool, string[])> Globs)>();
        foreach (var (keep, g) in globs)
        {
            var head = g[0];
            if (head == "*")
            {
                var all = Enumerable.Range(0, a.Count);
                if (keep)
                {
                    kept.UnionWith(all.Except(removed));
                }
                else
                {
                    removed.UnionWith(all.Except(kept));
                }

                continue;
            }

            int index;
            try
            {
                index = (int)Resolve(a, head).Path[0];
            }
            catch (DictPathException)
            {
                continue;
            }

            if (g.Length > 1)
            {
                var entry = items.FirstOrDefault(x => x.Index == index);
                if (entry.Globs is null)
                {
                    entry = (index, []);
                    items.Add(entry);
                }

                entry.Globs.Add((keep, g[1..]));
            }
            else if (keep)
            {
                if (!removed.Contains(index))
                {
                    kept.Add(index);
                }
            }
            else if (!kept.Contains(index))
            {
                removed.Add(index);
            }
        }

        var drop = removed.Except(kept).ToHashSet();
        foreach (var (index, g) in items)
        {
            if (!drop.Contains(index))
            {
                Filter(a[index < 0 ? a.Count + index : index], g);
            }
        }

        var remaining = a.Select((e, i) => (e, i)).Where(x => !drop.Contains(x.i)).Select(x => x.e).ToList();
        a.Clear();
        foreach (var e in remaining)
        {
            a.Add(e);
        }
    }

    private static List<(bool, string[])> Child(List<(string Head, List<(bool, string[])> Globs)> children, string head)
    {
        foreach (var c in children)
        {
            if (c.Head == head)
            {
                return c.Globs;
            }
        }

        var list = new List<(bool, string[])>();
        children.Add((head, list));
        return list;
    }

    /// <summary>update_merge_dict: merges <paramref name="update"/> into <paramref name="data"/> (dicts into dicts, lists item by item).</summary>
    public static void MergeDict(JsonObject data, JsonNode? update, List<object> path)
    {
        if (update is not JsonObject u)
        {
            throw new DictPathException("Expected dict for " + Join(path));
        }

        foreach (var (k, v) in u)
        {
            if (!data.ContainsKey(k))
            {
                data[k] = v?.DeepClone();
            }
            else if (data[k] is JsonObject child)
            {
                MergeDict(child, v, [.. path, k]);
            }
            else if (data[k] is JsonArray list)
            {
                MergeList(list, v, [.. path, k]);
            }
            else
            {
                data[k] = v?.DeepClone();
            }
        }
    }

    /// <summary>update_merge_list.</summary>
    public static void MergeList(JsonArray data, JsonNode? update, List<object> path)
    {
        if (update is not JsonArray u)
        {
            throw new DictPathException("Expected list for " + Join(path));
        }

        for (var i = 0; i < u.Count; i++)
        {
            if (i >= data.Count)
            {
                data.Add(u[i]?.DeepClone());
            }
            else if (data[i] is JsonObject child)
            {
                MergeDict(child, u[i], [.. path, i]);
            }
            else if (data[i] is JsonArray list)
            {
                MergeList(list, u[i], [.. path, i]);
            }
            else
            {
                data[i] = u[i]?.DeepClone();
            }
        }
    }

    /// <summary>update_merge_string_key: an update__ key; "__extend" appends to a list.</summary>
    public static void MergeStringKey(JsonObject data, string stringKey, JsonNode? value)
    {
        var parts = stringKey.Split("__");
        var k = parts[^1];
        var parentKey = string.Join("__", parts[..^1]);
        var (current, path) = parentKey.Length > 0 ? Resolve(data, parentKey) : (data, []);
        switch (current)
        {
            case JsonObject o:
                MergeDict(o, new JsonObject { [k] = value?.DeepClone() }, path);
                break;
            case JsonArray a when k == "extend":
                if (value is not JsonArray items)
                {
                    throw new DictPathException("Expected list for " + parentKey);
                }

                foreach (var item in items)
                {
                    a.Add(item?.DeepClone());
                }

                break;
            case JsonArray a:
                var (child, childPath) = Resolve(a, k);
                var index = (int)childPath[0];
                if (child is JsonObject co)
                {
                    MergeDict(co, value, [.. path, index]);
                }
                else if (child is JsonArray ca)
                {
                    MergeList(ca, value, [.. path, index]);
                }
                else
                {
                    a[index < 0 ? a.Count + index : index] = value?.DeepClone();
                }

                break;
            default:
                throw new DictPathException("Expected list or dict for " + parentKey);
        }
    }

    private static DictPathException Unmatched(List<object> path, string k) => new("Unmatched key " + Join([.. path, k]));
}
