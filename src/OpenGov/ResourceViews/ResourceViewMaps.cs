using System.Globalization;
using System.Text.Json.Nodes;
using OpenGov.DataStore;
using OpenGov.DataStore.Api;
using OpenGov.Tabular;

namespace OpenGov.ResourceViews;

/// <summary>
/// The columns a map view reads: latitude and longitude (decimal degrees), and the name and address shown with each
/// point when the table has them.
/// </summary>
public sealed record MapColumns(string Latitude, string Longitude, string? Name, string? Address)
{
    private static readonly string[] LatitudeNames = ["緯度", "lat", "latitude", "ido"];
    private static readonly string[] LongitudeNames = ["経度", "lon", "lng", "long", "longitude", "keido"];
    private static readonly string[] NameNames = ["名称", "name", "施設名", "施設名称", "名前", "設置場所名", "場所名", "事業所名", "名称_通称"];
    private static readonly string[] AddressNames = ["所在地_連結表記", "住所", "所在地", "address", "設置住所", "所在地住所"];
    private static readonly string[] GeoTypes = [DsTypes.Numeric, DsTypes.Float, DsTypes.Int, DsTypes.Text];

    /// <summary>
    /// The map columns of a table: the view's latitude_field and longitude_field when both are in it, else the
    /// columns named like the standard datasets' 緯度/経度 or lat/lon/latitude/longitude (a suffix such as
    /// 「緯度（世界測地系）」 allowed) of a number or text type; null when the table has no such pair.
    /// </summary>
    public static MapColumns? Detect(IReadOnlyList<DsField> fields, JsonObject? config = null)
    {
        var geo = fields.Where(f => GeoTypes.Contains(f.Type)).ToList();
        var lat = Configured(geo, config, MapConfig.LatitudeKey) ?? Find(geo, LatitudeNames, prefix: true);
        var lon = Configured(geo, config, MapConfig.LongitudeKey) ?? Find(geo, LongitudeNames, prefix: true);
        if (lat is null || lon is null || lat == lon)
        {
            return null;
        }

        var text = fields.Where(f => f.Id != lat && f.Id != lon && f.Type == DsTypes.Text).ToList();
        var name = Find(text, NameNames, prefix: false) ?? text.FirstOrDefault(f => Key(f.Id).Contains("名称", StringComparison.Ordinal))?.Id;
        var address = Find(text, AddressNames, prefix: false) ?? text.FirstOrDefault(f => Key(f.Id).Contains("住所", StringComparison.Ordinal))?.Id;
        return new MapColumns(lat, lon, name, address == name ? null : address);
    }

    private static string? Configured(List<DsField> fields, JsonObject? config, string key) =>
        config?[key] is JsonValue v && v.TryGetValue(out string? s) && fields.Any(f => f.Id == s) ? s : null;

    private static string? Find(List<DsField> fields, string[] names, bool prefix)
    {
        foreach (var n in names)
        {
            if (fields.FirstOrDefault(f => Key(f.Id) == n) is { } exact)
            {
                return exact.Id;
            }
        }

        // 「緯度（世界測地系）」, "latitude_wgs84": the Japanese names, or the English ones before a separator
        return prefix
            ? fields.FirstOrDefault(f => names.Any(n => Key(f.Id) is var k && k.Length > n.Length && k.StartsWith(n, StringComparison.Ordinal) && !char.IsAsciiLetter(k[n.Length])))?.Id
            : null;
    }

    private static string Key(string column) => (TextNormalizer.Normalize(column) ?? "").Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}

/// <summary>The keys of a map view (CKAN's recline_map_view schema) and the values OpenGov writes.</summary>
public static class MapConfig
{
    public const string FieldTypeKey = "map_field_type";
    public const string LatitudeKey = "latitude_field";
    public const string LongitudeKey = "longitude_field";
    public const string LatLong = "lat_long";
}

/// <summary>One row drawn on a map.</summary>
public sealed record MapPoint(int Row, string Name, string? Address, double Latitude, double Longitude);

/// <summary>
/// A map view ready to draw: the frame and its points (null when no row has a position in Japan), the first rows for
/// the table alternative, and the rows left out: blank positions, unreadable ones, and those outside Japan.
/// </summary>
public sealed record RenderedMap(MapColumns? Columns, MapFrame? Frame, IReadOnlyList<MapPoint> Points, int RowsRead, bool Truncated, int Blank, int Unparsable, int OutsideJapan)
{
    public const int Width = 640;
    public const int Height = 420;

    /// <summary>Rows listed in the table alternative.</summary>
    public const int TableRows = 20;

    /// <summary>地理院タイル 標準地図: the tile address and the page its terms ask a map to link.</summary>
    public const string TileHost = "https://cyberjapandata.gsi.go.jp";

    public const string AttributionUrl = "https://maps.gsi.go.jp/development/ichiran.html";

    public static string Tile(MapTile t) => string.Create(CultureInfo.InvariantCulture, $"{TileHost}/xyz/std/{t.Zoom}/{t.X}/{t.Y}.png");

    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}

/// <summary>
/// Reads a map view's points from the resource's DataStore table (the first <see cref="MaxRows"/> rows in order):
/// latitude and longitude as numbers within Japan (<see cref="GeoBounds"/>), the rest counted, never drawn; then fits
/// the frame with <see cref="MapGeometry"/> (地理院タイル exist from zoom 5 to 18).
/// </summary>
public sealed class ResourceViewMaps(DataStoreAggregates aggregates)
{
    public const int MaxRows = 2000;

    public async Task<RenderedMap> RenderAsync(ResourceView view, CancellationToken ct)
    {
        var empty = new RenderedMap(null, null, [], 0, false, 0, 0, 0);
        var fields = await aggregates.FieldsAsync(view.ResourceId, ct);
        if (fields is null || MapColumns.Detect(fields, JsonNode.Parse(view.ConfigJson) as JsonObject) is not { } columns)
        {
            return empty;
        }

        string[] read = [columns.Latitude, columns.Longitude, .. new[] { columns.Name, columns.Address }.OfType<string>()];
        var rows = await aggregates.ReadColumnsAsync(view.ResourceId, read, null, MaxRows + 1, ct);
        if (rows is null)
        {
            return empty with { Columns = columns };
        }

        var nameAt = columns.Name is null ? -1 : 2;
        var addressAt = columns.Address is null ? -1 : nameAt < 0 ? 2 : 3;
        var points = new List<MapPoint>();
        int blank = 0, unparsable = 0, outside = 0;
        foreach (var (row, i) in rows.Rows.Take(MaxRows).Select((r, i) => (r, i)))
        {
            if (string.IsNullOrWhiteSpace(row[0]) || string.IsNullOrWhiteSpace(row[1]))
            {
                blank++;
            }
            else if (!JapaneseNumber.TryParseDecimal(row[0], out var lat) || !JapaneseNumber.TryParseDecimal(row[1], out var lon))
            {
                unparsable++;
            }
            else if (!GeoBounds.InJapan(lat, lon))
            {
                outside++;
            }
            else
            {
                var name = nameAt >= 0 && !string.IsNullOrWhiteSpace(row[nameAt]) ? row[nameAt]!.Trim() : "#" + (i + 1).ToString(CultureInfo.InvariantCulture);
                var address = addressAt >= 0 && !string.IsNullOrWhiteSpace(row[addressAt]) ? row[addressAt]!.Trim() : null;
                points.Add(new MapPoint(i + 1, name, address, (double)lat, (double)lon));
            }
        }

        var frame = points.Count == 0 ? null : MapGeometry.Fit([.. points.Select(p => (p.Latitude, p.Longitude))], RenderedMap.Width, RenderedMap.Height, 24, 5, 17);
        return new RenderedMap(columns, frame, points, Math.Min(rows.Rows.Count, MaxRows), rows.Rows.Count > MaxRows, blank, unparsable, outside);
    }
}
