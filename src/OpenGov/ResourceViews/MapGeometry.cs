namespace OpenGov.ResourceViews;

/// <summary>One 256-px map tile of a frame: its tile coordinates and where its top-left corner sits in the frame.</summary>
public sealed record MapTile(int Zoom, int X, int Y, double Left, double Top);

/// <summary>
/// A map drawn at one zoom: the frame's top-left corner in world pixels (Web Mercator, 256-px tiles), its size in
/// pixels and the tiles that cover it, row by row.
/// </summary>
public sealed record MapFrame(int Zoom, double Left, double Top, int Width, int Height, IReadOnlyList<MapTile> Tiles)
{
    /// <summary>Where a point falls in the frame, in pixels from its top-left corner.</summary>
    public (double X, double Y) Place(double latitude, double longitude)
    {
        var (x, y) = MapGeometry.WorldPixel(latitude, longitude, Zoom);
        return (x - Left, y - Top);
    }
}

/// <summary>
/// Web Mercator tile math (the XYZ scheme of 地理院タイル, OpenStreetMap and every slippy map): a point's pixel at a zoom,
/// the highest zoom at which a bounding box fits a frame, and the tile grid that covers the frame. Pure; no I/O.
/// </summary>
public static class MapGeometry
{
    public const int TileSize = 256;

    /// <summary>Web Mercator's latitude limit (the world is square at ±85.0511°).</summary>
    public const double MaxLatitude = 85.05112878;

    /// <summary>A point's position in world pixels at a zoom (x east from 180°W, y south from 85.05°N).</summary>
    public static (double X, double Y) WorldPixel(double latitude, double longitude, int zoom)
    {
        var lat = Math.Clamp(latitude, -MaxLatitude, MaxLatitude) * Math.PI / 180;
        var size = TileSize * Math.Pow(2, zoom);
        var x = (longitude + 180) / 360 * size;
        var y = (1 - (Math.Log(Math.Tan(lat) + (1 / Math.Cos(lat))) / Math.PI)) / 2 * size;
        return (x, y);
    }

    /// <summary>The tile (x, y) holding a point at a zoom.</summary>
    public static (int X, int Y) TileOf(double latitude, double longitude, int zoom)
    {
        var (x, y) = WorldPixel(latitude, longitude, zoom);
        var max = (1 << zoom) - 1;
        return (Math.Clamp((int)Math.Floor(x / TileSize), 0, max), Math.Clamp((int)Math.Floor(y / TileSize), 0, max));
    }

    /// <summary>
    /// The highest zoom in [<paramref name="minZoom"/>, <paramref name="maxZoom"/>] at which the bounding box fits in
    /// <paramref name="width"/> × <paramref name="height"/> pixels less <paramref name="padding"/> on each side (one
    /// point, or points closer than a pixel, get <paramref name="maxZoom"/>); <paramref name="minZoom"/> when nothing fits.
    /// </summary>
    public static int FitZoom(double south, double west, double north, double east, int width, int height, int padding, int minZoom, int maxZoom)
    {
        var innerW = Math.Max(1, width - (2 * padding));
        var innerH = Math.Max(1, height - (2 * padding));
        for (var z = maxZoom; z > minZoom; z--)
        {
            var (x0, y0) = WorldPixel(north, west, z);
            var (x1, y1) = WorldPixel(south, east, z);
            if (x1 - x0 <= innerW && y1 - y0 <= innerH)
            {
                return z;
            }
        }

        return minZoom;
    }

    /// <summary>
    /// The frame for points: the zoom that fits their bounding box, centred on the box, and the tiles covering the
    /// frame (only those that exist at the zoom). Throws when there are no points.
    /// </summary>
    public static MapFrame Fit(IReadOnlyCollection<(double Latitude, double Longitude)> points, int width, int height, int padding, int minZoom, int maxZoom)
    {
        ArgumentOutOfRangeException.ThrowIfZero(points.Count);
        var south = points.Min(p => p.Latitude);
        var north = points.Max(p => p.Latitude);
        var west = points.Min(p => p.Longitude);
        var east = points.Max(p => p.Longitude);
        var zoom = FitZoom(south, west, north, east, width, height, padding, minZoom, maxZoom);
        var (x0, y0) = WorldPixel(north, west, zoom);
        var (x1, y1) = WorldPixel(south, east, zoom);
        var left = Math.Round(((x0 + x1) / 2) - (width / 2.0));
        var top = Math.Round(((y0 + y1) / 2) - (height / 2.0));
        return new MapFrame(zoom, left, top, width, height, Tiles(zoom, left, top, width, height));
    }

    /// <summary>The tiles covering a frame, row by row, with their offsets in it.</summary>
    public static IReadOnlyList<MapTile> Tiles(int zoom, double left, double top, int width, int height)
    {
        var count = 1 << zoom;
        var firstX = (int)Math.Floor(left / TileSize);
        var lastX = (int)Math.Floor((left + width - 1) / TileSize);
        var firstY = (int)Math.Floor(top / TileSize);
        var lastY = (int)Math.Floor((top + height - 1) / TileSize);
        var tiles = new List<MapTile>();
        for (var y = Math.Max(0, firstY); y <= Math.Min(count - 1, lastY); y++)
        {
            for (var x = Math.Max(0, firstX); x <= Math.Min(count - 1, lastX); x++)
            {
                tiles.Add(new MapTile(zoom, x, y, (x * TileSize) - left, (y * TileSize) - top));
            }
        }

        return tiles;
    }
}
