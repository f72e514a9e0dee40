using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenGov.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "activities",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    timestamp = table.Column<DateTime>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: true),
                    object_id = table.Column<string>(type: "TEXT", nullable: false),
                    activity_type = table.Column<string>(type: "TEXT", nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_activities", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "datastore_job",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    resource_id = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    started = table.Column<DateTime>(type: "TEXT", nullable: true),
                    finished = table.Column<DateTime>(type: "TEXT", nullable: true),
                    heartbeat = table.Column<DateTime>(type: "TEXT", nullable: true),
                    claimed_by = table.Column<string>(type: "TEXT", nullable: true),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    rows_read = table.Column<long>(type: "INTEGER", nullable: false),
                    bytes_read = table.Column<long>(type: "INTEGER", nullable: false),
                    total_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    source_hash = table.Column<string>(type: "TEXT", nullable: false),
                    detected_json = table.Column<string>(type: "TEXT", nullable: false),
                    log_json = table.Column<string>(type: "TEXT", nullable: false),
                    error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_datastore_job", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "datastore_resource",
                columns: table => new
                {
                    resource_id = table.Column<string>(type: "TEXT", nullable: false),
                    options_json = table.Column<string>(type: "TEXT", nullable: false),
                    last_source_hash = table.Column<string>(type: "TEXT", nullable: false),
                    last_source_modified = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_job_id = table.Column<string>(type: "TEXT", nullable: true),
                    standard = table.Column<string>(type: "TEXT", nullable: true),
                    validation_json = table.Column<string>(type: "TEXT", nullable: true),
                    conforms = table.Column<bool>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_datastore_resource", x => x.resource_id);
                });

            migrationBuilder.CreateTable(
                name: "event",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    slug = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    title_ja = table.Column<string>(type: "TEXT", nullable: false),
                    title_en = table.Column<string>(type: "TEXT", nullable: false),
                    theme_ja = table.Column<string>(type: "TEXT", nullable: false),
                    theme_en = table.Column<string>(type: "TEXT", nullable: false),
                    summary_ja = table.Column<string>(type: "TEXT", nullable: false),
                    summary_en = table.Column<string>(type: "TEXT", nullable: false),
                    starts_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ends_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    format_ja = table.Column<string>(type: "TEXT", nullable: false),
                    format_en = table.Column<string>(type: "TEXT", nullable: false),
                    you_tube_video_id = table.Column<string>(type: "TEXT", nullable: true),
                    pr_video_id = table.Column<string>(type: "TEXT", nullable: true),
                    zoom_join_url = table.Column<string>(type: "TEXT", nullable: true),
                    zoom_meeting_id = table.Column<string>(type: "TEXT", nullable: true),
                    zoom_passcode = table.Column<string>(type: "TEXT", nullable: true),
                    press_issued_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    press_addressee = table.Column<string>(type: "TEXT", nullable: false),
                    press_kinds = table.Column<string>(type: "TEXT", nullable: false),
                    press_sender = table.Column<string>(type: "TEXT", nullable: false),
                    question_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    presenter_secret = table.Column<string>(type: "TEXT", nullable: false),
                    pre_moderation = table.Column<bool>(type: "INTEGER", nullable: false),
                    ng_words = table.Column<string>(type: "TEXT", nullable: false),
                    highlighted_question_id = table.Column<long>(type: "INTEGER", nullable: true),
                    last_seq = table.Column<long>(type: "INTEGER", nullable: false),
                    you_tube_live_chat_id = table.Column<string>(type: "TEXT", nullable: true),
                    import_you_tube_chat = table.Column<bool>(type: "INTEGER", nullable: false),
                    you_tube_next_page_token = table.Column<string>(type: "TEXT", nullable: true),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "event_idempotency",
                columns: table => new
                {
                    scope = table.Column<string>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_idempotency", x => new { x.scope, x.key });
                });

            migrationBuilder.CreateTable(
                name: "organizations",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    title_en = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    image_url = table.Column<string>(type: "TEXT", nullable: false),
                    local_gov_code = table.Column<string>(type: "TEXT", nullable: true),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_organizations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tags",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tags", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "theme_group",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    title_en = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    image_url = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_theme_group", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    full_name = table.Column<string>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", nullable: false),
                    about = table.Column<string>(type: "TEXT", nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", nullable: true),
                    sysadmin = table.Column<bool>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "event_ban",
                columns: table => new
                {
                    event_id = table.Column<string>(type: "TEXT", nullable: false),
                    participant_id = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_ban", x => new { x.event_id, x.participant_id });
                    table.ForeignKey(
                        name: "fk_event_ban_event_event_id",
                        column: x => x.event_id,
                        principalTable: "event",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "event_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    event_id = table.Column<string>(type: "TEXT", nullable: false),
                    seq = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    public_payload = table.Column<string>(type: "TEXT", nullable: true),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_log", x => x.id);
                    table.ForeignKey(
                        name: "fk_event_log_event_event_id",
                        column: x => x.event_id,
                        principalTable: "event",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "event_poll",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    event_id = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    question_ja = table.Column<string>(type: "TEXT", nullable: false),
                    question_en = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    round = table.Column<int>(type: "INTEGER", nullable: false),
                    max_rating = table.Column<int>(type: "INTEGER", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_poll", x => x.id);
                    table.ForeignKey(
                        name: "fk_event_poll_event_event_id",
                        column: x => x.event_id,
                        principalTable: "event",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "event_programme_item",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    event_id = table.Column<string>(type: "TEXT", nullable: false),
                    order = table.Column<int>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    title_ja = table.Column<string>(type: "TEXT", nullable: false),
                    title_en = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_programme_item", x => x.id);
                    table.ForeignKey(
                        name: "fk_event_programme_item_event_event_id",
                        column: x => x.event_id,
                        principalTable: "event",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "event_question",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    event_id = table.Column<string>(type: "TEXT", nullable: false),
                    text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    author_name = table.Column<string>(type: "TEXT", nullable: false),
                    author_affiliation = table.Column<string>(type: "TEXT", nullable: false),
                    participant_id = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    answered = table.Column<bool>(type: "INTEGER", nullable: false),
                    pinned = table.Column<bool>(type: "INTEGER", nullable: false),
                    merged_into_id = table.Column<long>(type: "INTEGER", nullable: true),
                    votes = table.Column<int>(type: "INTEGER", nullable: false),
                    source = table.Column<string>(type: "TEXT", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", nullable: true),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    edited = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_question", x => x.id);
                    table.ForeignKey(
                        name: "fk_event_question_event_event_id",
                        column: x => x.event_id,
                        principalTable: "event",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "datasets",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    notes = table.Column<string>(type: "TEXT", nullable: false),
                    url = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<string>(type: "TEXT", nullable: false),
                    author = table.Column<string>(type: "TEXT", nullable: false),
                    author_email = table.Column<string>(type: "TEXT", nullable: false),
                    maintainer = table.Column<string>(type: "TEXT", nullable: false),
                    maintainer_email = table.Column<string>(type: "TEXT", nullable: false),
                    license_id = table.Column<string>(type: "TEXT", nullable: false),
                    owner_org_id = table.Column<string>(type: "TEXT", nullable: false),
                    @private = table.Column<bool>(name: "private", type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", nullable: false),
                    creator_user_id = table.Column<string>(type: "TEXT", nullable: true),
                    metadata_created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    metadata_modified = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_datasets", x => x.id);
                    table.ForeignKey(
                        name: "fk_datasets_organizations_owner_org_id",
                        column: x => x.owner_org_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "api_tokens",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    token_hash = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_access = table.Column<DateTime>(type: "TEXT", nullable: true),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_tokens", x => x.id);
                    table.ForeignKey(
                        name: "fk_api_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "event_moderator",
                columns: table => new
                {
                    event_id = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    role = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_moderator", x => new { x.event_id, x.user_id });
                    table.ForeignKey(
                        name: "fk_event_moderator_event_event_id",
                        column: x => x.event_id,
                        principalTable: "event",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_event_moderator_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "memberships",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    organization_id = table.Column<string>(type: "TEXT", nullable: false),
                    capacity = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_memberships", x => new { x.user_id, x.organization_id });
                    table.ForeignKey(
                        name: "fk_memberships_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_memberships_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "event_poll_option",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    poll_id = table.Column<long>(type: "INTEGER", nullable: false),
                    order = table.Column<int>(type: "INTEGER", nullable: false),
                    label_ja = table.Column<string>(type: "TEXT", nullable: false),
                    label_en = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_poll_option", x => x.id);
                    table.ForeignKey(
                        name: "fk_event_poll_option_event_poll_poll_id",
                        column: x => x.poll_id,
                        principalTable: "event_poll",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "event_poll_response",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    poll_id = table.Column<long>(type: "INTEGER", nullable: false),
                    round = table.Column<int>(type: "INTEGER", nullable: false),
                    participant_id = table.Column<string>(type: "TEXT", nullable: false),
                    choices = table.Column<string>(type: "TEXT", nullable: false),
                    rating = table.Column<int>(type: "INTEGER", nullable: true),
                    text = table.Column<string>(type: "TEXT", nullable: true),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_poll_response", x => x.id);
                    table.ForeignKey(
                        name: "fk_event_poll_response_event_poll_poll_id",
                        column: x => x.poll_id,
                        principalTable: "event_poll",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "event_speaker",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    programme_item_id = table.Column<long>(type: "INTEGER", nullable: false),
                    order = table.Column<int>(type: "INTEGER", nullable: false),
                    name_ja = table.Column<string>(type: "TEXT", nullable: false),
                    name_en = table.Column<string>(type: "TEXT", nullable: false),
                    affiliation_ja = table.Column<string>(type: "TEXT", nullable: false),
                    affiliation_en = table.Column<string>(type: "TEXT", nullable: false),
                    role = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_speaker", x => x.id);
                    table.ForeignKey(
                        name: "fk_event_speaker_event_programme_item_programme_item_id",
                        column: x => x.programme_item_id,
                        principalTable: "event_programme_item",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "event_question_vote",
                columns: table => new
                {
                    question_id = table.Column<long>(type: "INTEGER", nullable: false),
                    participant_id = table.Column<string>(type: "TEXT", nullable: false),
                    event_id = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_question_vote", x => new { x.question_id, x.participant_id });
                    table.ForeignKey(
                        name: "fk_event_question_vote_event_question_question_id",
                        column: x => x.question_id,
                        principalTable: "event_question",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "dataset_extras",
                columns: table => new
                {
                    dataset_id = table.Column<string>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dataset_extras", x => new { x.dataset_id, x.key });
                    table.ForeignKey(
                        name: "fk_dataset_extras_datasets_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "datasets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "dataset_groups",
                columns: table => new
                {
                    dataset_id = table.Column<string>(type: "TEXT", nullable: false),
                    group_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dataset_groups", x => new { x.dataset_id, x.group_id });
                    table.ForeignKey(
                        name: "fk_dataset_groups_datasets_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "datasets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dataset_groups_theme_group_group_id",
                        column: x => x.group_id,
                        principalTable: "theme_group",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "dataset_tags",
                columns: table => new
                {
                    dataset_id = table.Column<string>(type: "TEXT", nullable: false),
                    tag_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dataset_tags", x => new { x.dataset_id, x.tag_id });
                    table.ForeignKey(
                        name: "fk_dataset_tags_datasets_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "datasets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dataset_tags_tags_tag_id",
                        column: x => x.tag_id,
                        principalTable: "tags",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "resources",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    dataset_id = table.Column<string>(type: "TEXT", nullable: false),
                    url = table.Column<string>(type: "TEXT", nullable: false),
                    url_type = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    format = table.Column<string>(type: "TEXT", nullable: false),
                    mimetype = table.Column<string>(type: "TEXT", nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: true),
                    hash = table.Column<string>(type: "TEXT", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_modified = table.Column<DateTime>(type: "TEXT", nullable: true),
                    metadata_modified = table.Column<DateTime>(type: "TEXT", nullable: false),
                    extras_json = table.Column<string>(type: "TEXT", nullable: false),
                    storage_path = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resources", x => x.id);
                    table.ForeignKey(
                        name: "fk_resources_datasets_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "datasets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_activities_object_id_timestamp",
                table: "activities",
                columns: new[] { "object_id", "timestamp" });

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_token_hash",
                table: "api_tokens",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_user_id",
                table: "api_tokens",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_dataset_groups_group_id",
                table: "dataset_groups",
                column: "group_id");

            migrationBuilder.CreateIndex(
                name: "ix_dataset_tags_tag_id",
                table: "dataset_tags",
                column: "tag_id");

            migrationBuilder.CreateIndex(
                name: "ix_datasets_metadata_modified",
                table: "datasets",
                column: "metadata_modified");

            migrationBuilder.CreateIndex(
                name: "ix_datasets_name",
                table: "datasets",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_datasets_owner_org_id_state",
                table: "datasets",
                columns: new[] { "owner_org_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_datastore_job_resource_id_created",
                table: "datastore_job",
                columns: new[] { "resource_id", "created" });

            migrationBuilder.CreateIndex(
                name: "ix_datastore_job_state_created",
                table: "datastore_job",
                columns: new[] { "state", "created" });

            migrationBuilder.CreateIndex(
                name: "ix_event_presenter_secret",
                table: "event",
                column: "presenter_secret",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_event_question_code",
                table: "event",
                column: "question_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_event_slug",
                table: "event",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_event_log_event_id_seq",
                table: "event_log",
                columns: new[] { "event_id", "seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_event_moderator_user_id",
                table: "event_moderator",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_event_poll_event_id",
                table: "event_poll",
                column: "event_id");

            migrationBuilder.CreateIndex(
                name: "ix_event_poll_option_poll_id",
                table: "event_poll_option",
                column: "poll_id");

            migrationBuilder.CreateIndex(
                name: "ix_event_poll_response_poll_id_round_participant_id",
                table: "event_poll_response",
                columns: new[] { "poll_id", "round", "participant_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_event_programme_item_event_id",
                table: "event_programme_item",
                column: "event_id");

            migrationBuilder.CreateIndex(
                name: "ix_event_question_event_id_external_id",
                table: "event_question",
                columns: new[] { "event_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_event_question_event_id_state",
                table: "event_question",
                columns: new[] { "event_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_event_question_vote_event_id",
                table: "event_question_vote",
                column: "event_id");

            migrationBuilder.CreateIndex(
                name: "ix_event_speaker_programme_item_id",
                table: "event_speaker",
                column: "programme_item_id");

            migrationBuilder.CreateIndex(
                name: "ix_memberships_organization_id",
                table: "memberships",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_organizations_local_gov_code",
                table: "organizations",
                column: "local_gov_code");

            migrationBuilder.CreateIndex(
                name: "ix_organizations_name",
                table: "organizations",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_resources_dataset_id_position",
                table: "resources",
                columns: new[] { "dataset_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_tags_name",
                table: "tags",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_theme_group_name",
                table: "theme_group",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_users_name",
                table: "users",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "activities");

            migrationBuilder.DropTable(
                name: "api_tokens");

            migrationBuilder.DropTable(
                name: "dataset_extras");

            migrationBuilder.DropTable(
                name: "dataset_groups");

            migrationBuilder.DropTable(
                name: "dataset_tags");

            migrationBuilder.DropTable(
                name: "datastore_job");

            migrationBuilder.DropTable(
                name: "datastore_resource");

            migrationBuilder.DropTable(
                name: "event_ban");

            migrationBuilder.DropTable(
                name: "event_idempotency");

            migrationBuilder.DropTable(
                name: "event_log");

            migrationBuilder.DropTable(
                name: "event_moderator");

            migrationBuilder.DropTable(
                name: "event_poll_option");

            migrationBuilder.DropTable(
                name: "event_poll_response");

            migrationBuilder.DropTable(
                name: "event_question_vote");

            migrationBuilder.DropTable(
                name: "event_speaker");

            migrationBuilder.DropTable(
                name: "memberships");

            migrationBuilder.DropTable(
                name: "resources");

            migrationBuilder.DropTable(
                name: "theme_group");

            migrationBuilder.DropTable(
                name: "tags");

            migrationBuilder.DropTable(
                name: "event_poll");

            migrationBuilder.DropTable(
                name: "event_question");

            migrationBuilder.DropTable(
                name: "event_programme_item");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "datasets");

            migrationBuilder.DropTable(
                name: "event");

            migrationBuilder.DropTable(
                name: "organizations");
        }
    }
}
