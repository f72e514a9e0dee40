using OpenGov.ResourceViews;

namespace OpenGov.Tests.ResourceViews;

/// <summary>The map view's Web Mercator tile math, without a host: pixels, tiles, the zoom that fits, the tile grid.</summary>
public class MapGeometryTests
{
    [Fact]
    public void Points_project_to_the_xyz_tiles_of_gsi_and_osm()
    {
        Assert.Equal((128d, 128d), MapGeometry.WorldPixel(0, 0, 0));
        var (x, y) = MapGeometry.WorldPixel(MapGeometry.MaxLatitude, -180, 1);
        Assert.Equal(0, x, 6);
        Assert.Equal(0, y, 3);

        // 東京駅 at zoom 14 and 18 (the tile of https://cyberjapandata.gsi.go.jp/xyz/std/14/14552/6451.png)
        Assert.Equal((14552, 6451), MapGeometry.TileOf(35.681236, 139.767125, 14));
        Assert.Equal((232847, 103226), MapGeometry.TileOf(35.681236, 139.767125, 18));

        // beyond Mercator's limit the tile stays on the map
        Assert.Equal((0, 0), MapGeometry.TileOf(89.9, -180, 3));
    }

    [Fact]
    public void The_zoom_fits_the_bounding_box_and_the_tiles_cover_the_frame()
    {
        // one point: the highest zoom allowed
        Assert.Equal(17, MapGeometry.FitZoom(34.34, 134.04, 34.34, 134.04, 640, 420, 24, 5, 17));

        // all of Japan (沖ノ鳥島 to 択捉島, 与那国島 to 南鳥島) does not fit above the lowest zoom
        Assert.Equal(5, MapGeometry.FitZoom(20.4, 122.9, 45.5, 153.9, 640, 420, 24, 5, 17));

        // 高松市's AEDs, a few kilometres apart: the highest zoom at which they fit, not one more
        (double, double)[] points = [(34.3401, 134.0434), (34.3508, 134.0466), (34.3296, 134.0441), (34.3551, 134.1010), (34.3166, 134.0220)];
        var frame = MapGeometry.Fit(points, 640, 420, 24, 5, 17);
        Assert.Equal(13, frame.Zoom);
        foreach (var (lat, lon) in points)
        {
            var (px, py) = frame.Place(lat, lon);
            Assert.InRange(px, 24, 640 - 24);
            Assert.InRange(py, 24, 420 - 24);
        }

        // the tiles are whole 256-px squares covering the frame, row by row, without gaps or extras
        var cols = frame.Tiles.Select(t => t.X).Distinct().Count();
        var rows = frame.Tiles.Select(t => t.Y).Distinct().Count();
        Assert.Equal(cols * rows, frame.Tiles.Count);
        Assert.True(frame.Tiles.Min(t => t.Left) <= 0 && frame.Tiles.Max(t => t.Left) + 256 >= 640 && frame.Tiles.Max(t => t.Left) < 640);
        Assert.True(frame.Tiles.Min(t => t.Top) <= 0 && frame.Tiles.Max(t => t.Top) + 256 >= 420 && frame.Tiles.Max(t => t.Top) < 420);
        Assert.All(frame.Tiles, t => Assert.Equal(((t.X * 256) - frame.Left, (t.Y * 256) - frame.Top), (t.Left, t.Top)));
        Assert.Equal("https://cyberjapandata.gsi.go.jp/xyz/std/13/" + frame.Tiles[0].X + "/" + frame.Tiles[0].Y + ".png", RenderedMap.Tile(frame.Tiles[0]));

        // at zoom 0 the one tile of the world, never a tile that does not exist
        var world = MapGeometry.Tiles(0, -100, -100, 640, 420);
        Assert.Equal((0, 0), (Assert.Single(world).X, world[0].Y));
    }
}
