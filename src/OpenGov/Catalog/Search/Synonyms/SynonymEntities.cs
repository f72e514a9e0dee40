using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OpenGov.Catalog.Search.Synonyms;

/// <summary>
/// One group of words the catalog search treats as the same (陽性者, 陽性患者, 感染者): a search for any of them finds
/// datasets with any. <see cref="Terms"/> holds the words separated by commas, as the editing page shows them.
/// </summary>
public sealed class SearchSynonym
{
    public int Id { get; set; }
    public required string Terms { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class SearchSynonymConfiguration : IEntityTypeConfiguration<SearchSynonym>
{
    public void Configure(EntityTypeBuilder<SearchSynonym> b)
    {
        b.ToTable("search_synonyms");
        b.HasKey(x => x.Id);
        b.Property(x => x.Terms).HasMaxLength(2000);
        b.Property(x => x.UpdatedBy).HasMaxLength(100);
    }
}
