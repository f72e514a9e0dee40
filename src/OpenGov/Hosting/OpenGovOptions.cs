namespace OpenGov.Hosting;

/// <summary>Settings of one OpenGov node, bound from configuration section "OpenGov" plus the well-known variables.</summary>
public sealed class OpenGovOptions
{
    /// <summary>
    /// Percent-encode raw UTF-8 in HTTP/1.x request lines before Kestrel reads them (<see cref="RequestLineEscaping"/>),
    /// so that a client sending <c>GET /dataset?q=コロナ</c> unencoded gets the page instead of Kestrel's empty 400.
    /// On by default; false hands Kestrel the transport untouched. docs/decisions/0009.
    /// </summary>
    public bool EscapeRawRequestLines { get; set; } = true;

    /// <summary>Folder holding the SQLite database and uploaded files (--data DIR, OPENGOV_DATA; default ./data).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Load demo content into an empty catalog on start (--demo).</summary>
    public bool Demo { get; set; }

    /// <summary>Public base URL used in links of API responses (CKAN's ckan.site_url); empty means "from the request".</summary>
    public string SiteUrl { get; set; } = "";

    /// <summary>Site title shown in pages and site_read.</summary>
    public string SiteTitle { get; set; } = "OpenGov オープンデータカタログ";

    /// <summary>Who publishes the catalog as a whole: the DCAT catalog's dct:publisher (foaf:name).</summary>
    public string CatalogPublisher { get; set; } = "オープンガバメント推進協議会";

    /// <summary>Largest accepted upload in bytes (default 100 MB).</summary>
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// The most all files of one contest entry may take together, in MB (OpenGov:MaxContestEntryMegabytes, default
    /// 50): a file that would pass it is refused and nothing is stored.
    /// </summary>
    public long MaxContestEntryMegabytes { get; set; } = 50;

    /// <summary>
    /// Free space to keep on the data directory, in MB (OpenGov:MinFreeDiskMegabytes, default 100): below it uploads
    /// and loads answer 507 and /healthz reports "Degraded". 0 refuses only when the disk is actually full.
    /// </summary>
    public long MinFreeDiskMegabytes { get; set; } = 100;

    /// <summary>API token of the bootstrap sysadmin "admin", created when no sysadmin exists (OPENGOV_BOOTSTRAP_ADMIN_TOKEN).</summary>
    public string? BootstrapAdminToken { get; set; }

    /// <summary>Anonymous GET read actions answered from the output cache until the catalog changes (OpenGov:CacheCatalogReads).</summary>
    public bool CacheCatalogReads { get; set; } = true;

    /// <summary>
    /// Write actions each user (or address, when anonymous) may send per second on average (OpenGov:WritesPerSecond);
    /// bursts of twice as many pass. Beyond that the API answers 429 with CKAN's error envelope.
    /// </summary>
    public int WritesPerSecond { get; set; } = 100;

    /// <summary>
    /// How long a node trusts its cached copy of a user's security stamp (OpenGov:SecurityStampCheckSeconds, default 5):
    /// a logout or password change on one node ends the user's sessions on the others within this time. 0 reads the
    /// database on every cookie-authenticated request.
    /// </summary>
    public int SecurityStampCheckSeconds { get; set; } = 5;

    /// <summary>Bounds on one package: resources, tags, extras, notes (OpenGov:PackageLimits).</summary>
    public Catalog.Editing.PackageLimits PackageLimits { get; set; } = new();

    /// <summary>Trusted proxies in front of the nodes (OpenGov:ForwardedHeaders); none by default.</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary>Redis connection string for live events and caches across nodes (ConnectionStrings__Redis).</summary>
    public string? Redis { get; set; }

    /// <summary>Root for uploaded resource files.</summary>
    public string UploadsDirectory => Path.Combine(DataDirectory, "uploads");
}
