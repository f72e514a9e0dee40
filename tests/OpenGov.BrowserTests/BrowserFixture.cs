using Microsoft.Playwright;

namespace OpenGov.BrowserTests;

/// <summary>
/// One Chromium per test class (Debian's, from OPENGOV_TEST_CHROMIUM, default /usr/bin/chromium); each test opens
/// its own browser context, so tests share no cookies or storage. Skips when Chromium is absent.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }

    public string? SkipReason { get; private set; }

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("OPENGOV_TEST_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            SkipReason = $"Chromium not found at {ChromiumPath} (set OPENGOV_TEST_CHROMIUM)";
            return;
        }

        // CI runs the browser tests beside the integration tests on 2 cores: allow for a slow page, not a broken one.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
    }

    /// <summary>A fresh context: phone-sized when <paramref name="phone"/> is true (iPhone 12-like, touch); without script when <paramref name="javaScript"/> is false.</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseAddress, bool phone = false, string locale = "ja-JP", bool javaScript = true)
    {
        if (SkipReason is not null)
        {
            Assert.Skip(SkipReason);
        }

        var options = new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString().TrimEnd('/'),
            Locale = locale,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = phone ? 2 : 1,
            JavaScriptEnabled = javaScript,
        };
        var context = await Browser!.NewContextAsync(options);
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
