#include "parquet/metadata.hpp"

#include <initializer_list>

#include "parquet/error.hpp"
#include "parquet/thrift_compact.hpp"

namespace marquee::parquet::format {

using thrift::CompactReader;
using thrift::CompactWriter;
using thrift::FieldHeader;
using thrift::WireType;

std::string_view physical_type_name(PhysicalType type) {
  switch (type) {
    case PhysicalType::Boolean: return "BOOLEAN";
    case PhysicalType::Int32: return "INT32";
    case PhysicalType::Int64: return "INT64";
    case PhysicalType::Int96: return "INT96";
    case PhysicalType::Float: return "FLOAT";
    case PhysicalType::Double: return "DOUBLE";
    case PhysicalType::ByteArray: return "BYTE_ARRAY";
    case PhysicalType::FixedLenByteArray: return "FIXED_LEN_BYTE_ARRAY";
  }
  return "unknown physical type";
}

std::string_view encoding_name(Encoding encoding) {
  switch (encoding) {
    case Encoding::Plain: return "PLAIN";
    case Encoding::PlainDictionary: return "PLAIN_DICTIONARY";
    case Encoding::Rle: return "RLE";
    case Encoding::BitPacked: return "BIT_PACKED";
    case Encoding::DeltaBinaryPacked: return "DELTA_BINARY_PACKED";
    case Encoding::DeltaLengthByteArray: return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::DeltaByteArray: return "DELTA_BYTE_ARRAY";
    case Encoding::RleDictionary: return "RLE_DICTIONARY";
    case Encoding::ByteStreamSplit: return "BYTE_STREAM_SPLIT";
  }
  return "unknown encoding";
}

std::string_view codec_name(Codec codec) {
  switch (codec) {
    case Codec::Uncompressed: return "UNCOMPRESSED";
    case Codec::Snappy: return "SNAPPY";
    case Codec::Gzip: return "GZIP";
    case Codec::Lzo: return "LZO";
    case Codec::Brotli: return "BROTLI";
    case Codec::Lz4: return "LZ4";
    case Codec::Zstd: return "ZSTD";
    case Codec::Lz4Raw: return "LZ4_RAW";
  }
  return "unknown codec";
}

namespace {

// ---------------------------------------------------------------- writing

template <typename Enum>
std::int32_t raw(Enum value) {
  return static_cast<std::int32_t>(value);
}

// Writes the fields of a Statistics struct and closes it.
void write_statistics(CompactWriter& w, const Statistics& s) {
  if (s.max_deprecated) w.field_binary(1, *s.max_deprecated);
  if (s.min_deprecated) w.field_binary(2, *s.min_deprecated);
  if (s.null_count) w.field_i64(3, *s.null_count);
  if (s.distinct_count) w.field_i64(4, *s.distinct_count);
  if (s.max_value) w.field_binary(5, *s.max_value);
  if (s.min_value) w.field_binary(6, *s.min_value);
  if (s.is_max_value_exact) w.field_bool(7, *s.is_max_value_exact);
  if (s.is_min_value_exact) w.field_bool(8, *s.is_min_value_exact);
  if (s.nan_count) w.field_i64(9, *s.nan_count);
  w.end_struct();
}

void write_logical_type(CompactWriter& w, std::int16_t field_id, const LogicalType& t) {
  w.begin_struct_field(field_id);  // the union
  w.begin_struct_field(t.kind);    // its one member
  if (t.kind == LogicalType::kInteger) {
    w.field_i8(1, t.integer_bit_width);
    w.field_bool(2, t.integer_signed);
  }
  w.end_struct();
  w.end_struct();
}

void write_schema_element(CompactWriter& w, const SchemaElement& e) {
  w.begin_struct_element();
  if (e.type) w.field_i32(1, raw(*e.type));
  if (e.type_length) w.field_i32(2, *e.type_length);
  if (e.repetition) w.field_i32(3, raw(*e.repetition));
  w.field_binary(4, e.name);
  if (e.num_children) w.field_i32(5, *e.num_children);
  if (e.converted_type) w.field_i32(6, *e.converted_type);
  if (e.scale) w.field_i32(7, *e.scale);
  if (e.precision) w.field_i32(8, *e.precision);
  if (e.field_id) w.field_i32(9, *e.field_id);
  if (e.logical_type) write_logical_type(w, 10, *e.logical_type);
  w.end_struct();
}

void write_key_values(CompactWriter& w, std::int16_t field_id, const std::vector<KeyValue>& kvs) {
  if (kvs.empty()) return;
  w.begin_list_field(field_id, WireType::Struct, kvs.size());
  for (const KeyValue& kv : kvs) {
    w.begin_struct_element();
    w.field_binary(1, kv.key);
    if (kv.value) w.field_binary(2, *kv.value);
    w.end_struct();
  }
}

void write_column_metadata(CompactWriter& w, const ColumnMetaData& m) {
  w.field_i32(1, raw(m.type));
  w.begin_list_field(2, WireType::I32, m.encodings.size());
  for (Encoding e : m.encodings) w.element_i32(raw(e));
  w.begin_list_field(3, WireType::Binary, m.path_in_schema.size());
  for (const std::string& p : m.path_in_schema) w.element_binary(p);
  w.field_i32(4, raw(m.codec));
  w.field_i64(5, m.num_values);
  w.field_i64(6, m.total_uncompressed_size);
  w.field_i64(7, m.total_compressed_size);
  write_key_values(w, 8, m.key_value_metadata);
  w.field_i64(9, m.data_page_offset);
  if (m.index_page_offset) w.field_i64(10, *m.index_page_offset);
  if (m.dictionary_page_offset) w.field_i64(11, *m.dictionary_page_offset);
  if (m.statistics) {
    w.begin_struct_field(12);
    write_statistics(w, *m.statistics);
  }
  if (!m.encoding_stats.empty()) {
    w.begin_list_field(13, WireType::Struct, m.encoding_stats.size());
    for (const PageEncodingStats& s : m.encoding_stats) {
      w.begin_struct_element();
      w.field_i32(1, raw(s.page_type));
      w.field_i32(2, raw(s.encoding));
      w.field_i32(3, s.count);
      w.end_struct();
    }
  }
  w.end_struct();
}

void write_row_group(CompactWriter& w, const RowGroup& g) {
  w.begin_struct_element();
  w.begin_list_field(1, WireType::Struct, g.columns.size());
  for (const ColumnChunk& c : g.columns) {
    w.begin_struct_element();
    if (c.file_path) w.field_binary(1, *c.file_path);
    w.field_i64(2, c.file_offset);
    if (c.meta_data) {
      w.begin_struct_field(3);
      write_column_metadata(w, *c.meta_data);
    }
    w.end_struct();
  }
  w.field_i64(2, g.total_byte_size);
  w.field_i64(3, g.num_rows);
  if (g.file_offset) w.field_i64(5, *g.file_offset);
  if (g.total_compressed_size) w.field_i64(6, *g.total_compressed_size);
  if (g.ordinal) w.field_i16(7, *g.ordinal);
  w.end_struct();
}

}  // namespace

std::string serialize_file_metadata(const FileMetaData& m) {
  std::string out;
  CompactWriter w(out);
  w.field_i32(1, m.version);
  w.begin_list_field(2, WireType::Struct, m.schema.size());
  for (const SchemaElement& e : m.schema) write_schema_element(w, e);
  w.field_i64(3, m.num_rows);
  w.begin_list_field(4, WireType::Struct, m.row_groups.size());
  for (const RowGroup& g : m.row_groups) write_row_group(w, g);
  write_key_values(w, 5, m.key_value_metadata);
  if (m.created_by) w.field_binary(6, *m.created_by);
  if (!m.column_orders.empty()) {
    w.begin_list_field(7, WireType::Struct, m.column_orders.size());
    for (std::int16_t order : m.column_orders) {
      w.begin_struct_element();  // the ColumnOrder union
      w.begin_struct_field(order);
      w.end_struct();  // the empty TypeDefinedOrder
      w.end_struct();
    }
  }
  w.end_struct();
  return out;
}

void append_page_header(std::string& out, const PageHeader& h) {
  CompactWriter w(out);
  w.field_i32(1, raw(h.type));
  w.field_i32(2, h.uncompressed_page_size);
  w.field_i32(3, h.compressed_page_size);
  if (h.crc) w.field_i32(4, *h.crc);
  if (h.data_page_header) {
    const DataPageHeader& d = *h.data_page_header;
    w.begin_struct_field(5);
    w.field_i32(1, d.num_values);
    w.field_i32(2, raw(d.encoding));
    w.field_i32(3, raw(d.definition_level_encoding));
    w.field_i32(4, raw(d.repetition_level_encoding));
    if (d.statistics) {
      w.begin_struct_field(5);
      write_statistics(w, *d.statistics);
    }
    w.end_struct();
  }
  if (h.dictionary_page_header) {
    const DictionaryPageHeader& d = *h.dictionary_page_header;
    w.begin_struct_field(7);
    w.field_i32(1, d.num_values);
    w.field_i32(2, raw(d.encoding));
    if (d.is_sorted) w.field_bool(3, *d.is_sorted);
    w.end_struct();
  }
  if (h.data_page_header_v2) {
    const DataPageHeaderV2& d = *h.data_page_header_v2;
    w.begin_struct_field(8);
    w.field_i32(1, d.num_values);
    w.field_i32(2, d.num_nulls);
    w.field_i32(3, d.num_rows);
    w.field_i32(4, raw(d.encoding));
    w.field_i32(5, d.definition_levels_byte_length);
    w.field_i32(6, d.repetition_levels_byte_length);
    w.field_bool(7, d.is_compressed);
    w.end_struct();
  }
  w.end_struct();
}

// ---------------------------------------------------------------- reading

namespace {

// Decodes the structs above from untrusted bytes. Each parse_* is entered
// just before the struct's first field header and leaves after its stop.
class Parser {
 public:
  Parser(std::string_view bytes, const MetadataLimits& limits) : r_(bytes), limits_(limits) {}

  CompactReader& reader() { return r_; }

  FileMetaData parse_file_metadata() {
    FileMetaData m;
    bool version = false, schema = false, num_rows = false, row_groups = false;
    r_.begin_struct();
    for (FieldHeader f = r_.read_field_header(); !f.is_stop(); f = r_.read_field_header()) {
      switch (f.id) {
        case 1: m.version = i32(f, "FileMetaData.version"); version = true; break;
        case 2:
          list_of_structs(f, "FileMetaData.schema", limits_.max_schema_elements,
                          [&] { m.schema.push_back(parse_schema_element()); });
          schema = true;
          break;
        case 3: m.num_rows = i64(f, "FileMetaData.num_rows"); num_rows = true; break;
        case 4:
          list_of_structs(f, "FileMetaData.row_groups", limits_.max_row_groups,
                          [&] { m.row_groups.push_back(parse_row_group()); });
          row_groups = true;
          break;
        case 5: m.key_value_metadata = parse_key_values(f, "FileMetaData.key_value_metadata"); break;
        case 6: m.created_by = binary(f, "FileMetaData.created_by"); break;
        case 7:
          list_of_structs(f, "FileMetaData.column_orders", limits_.max_schema_elements,
                          [&] { m.column_orders.push_back(parse_union_kind("ColumnOrder")); });
          break;
        case 8: r_.skip(f.type); m.encrypted = true; break;
        default: r_.skip(f.type);
      }
    }
    r_.end_struct();
    require(version && schema && num_rows && row_groups, "FileMetaData");
    return m;
  }

  PageHeader parse_page_header() {
    PageHeader h;
    bool type = false, uncompressed = false, compressed = false;
    r_.begin_struct();
    for (FieldHeader f = r_.read_field_header(); !f.is_stop(); f = r_.read_field_header()) {
      switch (f.id) {
        case 1: h.type = static_cast<PageType>(i32(f, "PageHeader.type")); type = true; break;
        case 2: h.uncompressed_page_size = i32(f, "PageHeader.uncompressed_page_size"); uncompressed = true; break;
        case 3: h.compressed_page_size = i32(f, "PageHeader.compressed_page_size"); compressed = true; break;
        case 4: h.crc = i32(f, "PageHeader.crc"); break;
        case 5: struct_field(f, "PageHeader.data_page_header"); h.data_page_header = parse_data_page_header(); break;
        case 7:
          struct_field(f, "PageHeader.dictionary_page_header");
          h.dictionary_page_header = parse_dictionary_page_header();
          break;
        case 8:
          struct_field(f, "PageHeader.data_page_header_v2");
          h.data_page_header_v2 = parse_data_page_header_v2();
          break;
        default: r_.skip(f.type);
      }
    }
    r_.end_struct();
    require(type && uncompressed && compressed, "PageHeader");
    return h;
  }

 private:
  void require(bool all_present, const char* struct_name) {
    if (!all_present) r_.fail(std::string(struct_name) + " lacks a required field");
  }

  std::int32_t i32(FieldHeader f, const char* name) {
    thrift::expect_type(r_, f, WireType::I32, name);
    return r_.read_i32();
  }
  std::int64_t i64(FieldHeader f, const char* name) {
    thrift::expect_type(r_, f, WireType::I64, name);
    return r_.read_i64();
  }
  bool boolean(FieldHeader f, const char* name) {
    thrift::expect_type(r_, f, WireType::BoolTrue, name);
    return f.bool_value();
  }
  std::string binary(FieldHeader f, const char* name) {
    thrift::expect_type(r_, f, WireType::Binary, name);
    return r_.read_binary(limits_.max_string_bytes);
  }
  void struct_field(FieldHeader f, const char* name) { thrift::expect_type(r_, f, WireType::Struct, name); }

  thrift::ListHeader list(FieldHeader f, WireType element, const char* name, std::size_t max_size) {
    thrift::expect_type(r_, f, WireType::List, name);
    const thrift::ListHeader header = r_.read_list_header();
    if (header.element_type != element) r_.fail(std::string(name) + " has unexpected element type");
    if (header.size > max_size) r_.fail(std::string(name) + " has too many elements");
    return header;
  }

  template <typename ParseElement>
  void list_of_structs(FieldHeader f, const char* name, std::size_t max_size, ParseElement parse_element) {
    const thrift::ListHeader header = list(f, WireType::Struct, name, max_size);
    for (std::uint32_t i = 0; i < header.size; ++i) parse_element();
  }

  std::vector<std::string> list_of_binary(FieldHeader f, const char* name) {
    const thrift::ListHeader header = list(f, WireType::Binary, name, limits_.max_schema_elements);
    std::vector<std::string> values;
    for (std::uint32_t i = 0; i < header.size; ++i) values.push_back(r_.read_binary(limits_.max_string_bytes));
    return values;
  }

  // A union of empty structs: returns the id of the member that is set.
  std::int16_t parse_union_kind(const char* name) {
    std::int16_t kind = 0;
    r_.begin_struct();
    for (FieldHeader f = r_.read_field_header(); !f.is_stop(); f = r_.read_field_header()) {
      if (kind != 0) r_.fail(std::string(name) + " union has more than one member");
      kind = f.id;
      r_.skip(f.type);
    }
    r_.end_struct();
    return kind;
  }

  Statistics parse_statistics() {
    Statistics s;
    r_.begin_struct();
    for (FieldHeader f = r_.read_field_header(); !f.is_stop(); f = r_.read_field_header()) {
      switch (f.id) {
        case 1: s.max_deprecated = binary(f, "Statistics.max"); break;
        case 2: s.min_deprecated = binary(f, "Statistics.min"); break;
        case 3: s.null_count = i64(f, "Statistics.null_count"); break;
        case 4: s.distinct_count = i64(f, "Statistics.distinct_count"); break;
        case 5: s.max_value = binary(f, "Statistics.max_value"); break;
        case 6: s.min_value = binary(f, "Statistics.min_value"); break;
        case 7: s.is_max_value_exact = boolean(f, "Statistics.is_max_value_exact"); break;
        case 8: s.is_min_value_exact = boolean(f, "Statistics.is_min_value_exact"); break;
        case 9: s.nan_count = i64(f, "Statistics.nan_count"); break;
        default: r_.skip(f.type);
      }
    }
    r_.end_struct();
    return s;
  }

  LogicalType parse_logical_type() {
    LogicalType t;
    r_.begin_struct();
    for (FieldHeader f = r_.read_field_header(); !f.is_stop(); f = r_.read_field_header()) {
      if (t.kind != 0) r_.fail("LogicalType union has more than one member");
      t.kind = f.id;
      if (f.id != LogicalType::kInteger) {
        r_.skip(f.type);
        continue;
      }
      struct_field(f, "LogicalType.INTEGER");
      r_.begin_struct();
      for (FieldHeader g = r_.read_field_header(); !g.is_stop(); g = r_.read_field_header()) {
        if (g.id == 1) {
          thrift::expect_type(r_, g, WireType::I8, "IntType.bitWidth");
          t.integer_bit_width = r_.read_i8();
        } else if (g.id == 2) {
          t.integer_signed = boolean(g, "IntType.isSigned");
        } else {
          r_.skip(g.type);
        }
      }
      r_.end_struct();
    }
    r_.end_struct();
    return t;
  }

  SchemaElement parse_schema_element() {
    SchemaElement e;
    bool name = false;
    r_.begin_struct();
    for (FieldHeader f = r_.read_field_header(); !f.is_stop(); f = r_.read_field_header()) {
      switch (f.id) {
        case 1: e.type = static_cast<PhysicalType>(i32(f, "SchemaElement.type")); break;
        case 2: e.type_length = i32(f, "SchemaElement.type_length"); break;
        case 3: e.repetition = static_cast<Repetition>(i32(f, "SchemaElement.repetition_type")); break;
        case 4: e.name = binary(f, "SchemaElement.name"); name = true; break;
        case 5: e.num_children = i32(f, "SchemaElement.num_children"); break;
        case 6: e.converted_type = i32(f, "SchemaElement.converted_type"); break;
        case 7: e.scale = i32(f, "SchemaElement.scale"); break;
        case 8: e.precision = i32(f, "SchemaElement.precision"); break;
        case 9: e.field_id = i32(f, "SchemaElement.field_id"); break;
        case 10: struct_field(f, "SchemaElement.logicalType"); e.logical_type = parse_logical_type(); break;
        default: r_.skip(f.type);
      }
    }
    r_.end_struct();
    require(name, "SchemaElement");
    return e;
  }

  std::vector<KeyValue> parse_key_values(FieldHeader f, const char* name) {
    std::vector<KeyValue> kvs;
    list_of_structs(f, name, limits_.max_key_values, [&] {
      KeyValue kv;
      bool key = false;
      r_.begin_struct();
      for (FieldHeader g = r_.read_field_header(); !g.is_stop(); g = r_.read_field_header()) {
        if (g.id == 1) {
          kv.key = binary(g, "KeyValue.key");
          key = true;
        } else if (g.id == 2) {
          kv.value = binary(g, "KeyValue.value");
        } else {
          r_.skip(g.type);
        }
      }
      r_.end_struct();
      require(key, "KeyValue");
      kvs.push_back(std::move(kv));
    });
    return kvs;
  }

  ColumnMetaData parse_column_metadata() {
    ColumnMetaData m;
    bool type = false, encodings = false, path = false, codec = false, num_values = false, uncompressed = false,
         compressed = false, data_page_offset = false;
    r_.begin_struct();
    for (FieldHeader f = r_.read_field_header(); !f.is_stop(); f = r_.read_field_header()) {
      switch (f.id) {
        case 1: m.type = static_cast<PhysicalType>(i32(f, "ColumnMetaData.type")); type = true; break;
        case 2: {
          const thrift::ListHeader h = list(f, WireType::I32, "ColumnMetaData.encodings", 64);
          for (std::uint32_t i = 0; i < h.size; ++i) m.encodings.push_back(static_cast<Encoding>(r_.read_i32()));
          encodings = true;
          break;
        }
        case 3: m.path_in_schema = list_of_binary(f, "ColumnMetaData.path_in_schema"); path = true; break;
        case 4: m.codec = static_cast<Codec>(i32(f, "ColumnMetaData.codec")); codec = true; break;
        case 5: m.num_values = i64(f, "ColumnMetaData.num_values"); num_values = true; break;
        case 6: m.total_uncompressed_size = i64(f, "ColumnMetaData.total_uncompressed_size"); uncompressed = true; break;
        case 7: m.total_compressed_size = i64(f, "ColumnMetaData.total_compressed_size"); compressed = true; break;
        case 8: m.key_value_metadata = parse_key_values(f, "ColumnMetaData.key_value_metadata"); break;
        case 9: m.data_page_offset = i64(f, "ColumnMetaData.data_page_offset"); data_page_offset = true; break;
        case 10: m.index_page_offset = i64(f, "ColumnMetaData.index_page_offset"); break;
        case 11: m.dictionary_page_offset = i64(f, "ColumnMetaData.dictionary_page_offset"); break;
        case 12: struct_field(f, "ColumnMetaData.statistics"); m.statistics = parse_statistics(); break;
        case 13:
          list_of_structs(f, "ColumnMetaData.encoding_stats", 1024, [&] {
            PageEncodingStats s;
            r_.begin_struct();
            for (FieldHeader g = r_.read_field_header(); !g.is_stop(); g = r_.read_field_header()) {
              if (g.id == 1) s.page_type = static_cast<PageType>(i32(g, "PageEncodingStats.page_type"));
              else if (g.id == 2) s.encoding = static_cast<Encoding>(i32(g, "PageEncodingStats.encoding"));
              else if (g.id == 3) s.count = i32(g, "PageEncodingStats.count");
              else r_.skip(g.type);
            }
            r_.end_struct();
            m.encoding_stats.push_back(s);
          });
          break;
        default: r_.skip(f.type);
      }
    }
    r_.end_struct();
    require(type && encodings && path && codec && num_values && uncompressed && compressed && data_page_offset,
            "ColumnMetaData");
    return m;
  }

  ColumnChunk parse_column_chunk() {
    if (++column_chunks_ > limits_.max_column_chunks) r_.fail("too many column chunks");
    ColumnChunk c;
    r_.begin_struct();
    for (FieldHeader f = r_.read_field_header(); !f.is_stop(); f = r_.read_field_header()) {
      switch (f.id) {
        case 1: c.file_path = binary(f, "ColumnChunk.file_path"); break;
        case 2: c.file_offset = i64(f, "ColumnChunk.file_offset"); break;
        case 3: struct_field(f, "ColumnChunk.meta_data"); c.meta_data = parse_column_metadata(); break;
        case 8:
        case 9: r_.skip(f.type); c.encrypted = true; break;
        default: r_.skip(f.type);
      }
    }
    r_.end_struct();
    return c;
  }

  RowGroup parse_row_group() {
    RowGroup g;
    bool columns = false, total_byte_size = false, num_rows = false;
    r_.begin_struct();
    for (FieldHeader f = r_.read_field_header(); !f.is_stop(); f = r_.read_field_header()) {
      switch (f.id) {
        case 1:
          list_of_structs(f, "RowGroup.columns", limits_.max_schema_elements,
                          [&] { g.columns.push_back(parse_column_chunk()); });
          columns = true;
          break;
        case 2: g.total_byte_size = i64(f, "RowGroup.total_byte_size"); total_byte_size = true; break;
        case 3: g.num_rows = i64(f, "RowGroup.num_rows"); num_rows = true; break;
        case 5: g.file_offset = i64(f, "RowGroup.file_offset"); break;
        case 6: g.total_compressed_size = i64(f, "RowGroup.total_compressed_size"); break;
        case 7:
          thrift::expect_type(r_, f, WireType::I16, "RowGroup.ordinal");
          g.ordinal = r_.read_i16();
          break;
        default: r_.skip(f.type);
      }
    }
    r_.end_struct();
    require(columns && total_byte_size && num_rows, "RowGroup");
    return g;
  }

  DataPageHeader parse_data_page_header() {
    DataPageHeader d;
    bool num_values = false, encoding = false, def = false, rep = false;
    r_.begin_struct();
    for (FieldHeader f = r_.read_field_header(); !f.is_stop(); f = r_.read_field_header()) {
      switch (f.id) {
        case 1: d.num_values = i32(f, "DataPageHeader.num_values"); num_values = true; break;
        case 2: d.encoding = static_cast<Encoding>(i32(f, "DataPageHeader.encoding")); encoding = true; break;
        case 3:
          d.definition_level_encoding = static_cast<Encoding>(i32(f, "DataPageHeader.definition_level_encoding"));
          def = true;
          break;
        case 4:
          d.repetition_level_encoding = static_cast<Encoding>(i32(f, "DataPageHeader.repetition_level_encoding"));
          rep = true;
          break;
        case 5: struct_field(f, "DataPageHeader.statistics"); d.statistics = parse_statistics(); break;
        default: r_.skip(f.type);
      }
    }
    r_.end_struct();
    require(num_values && encoding && def && rep, "DataPageHeader");
    return d;
  }

  DictionaryPageHeader parse_dictionary_page_header() {
    DictionaryPageHeader d;
    bool num_values = false, encoding = false;
    r_.begin_struct();
    for (FieldHeader f = r_.read_field_header(); !f.is_stop(); f = r_.read_field_header()) {
      switch (f.id) {
        case 1: d.num_values = i32(f, "DictionaryPageHeader.num_values"); num_values = true; break;
        case 2: d.encoding = static_cast<Encoding>(i32(f, "DictionaryPageHeader.encoding")); encoding = true; break;
        case 3: d.is_sorted = boolean(f, "DictionaryPageHeader.is_sorted"); break;
        default: r_.skip(f.type);
      }
    }
    r_.end_struct();
    require(num_values && encoding, "DictionaryPageHeader");
    return d;
  }

  DataPageHeaderV2 parse_data_page_header_v2() {
    DataPageHeaderV2 d;
    int seen = 0;
    r_.begin_struct();
    for (FieldHeader f = r_.read_field_header(); !f.is_stop(); f = r_.read_field_header()) {
      switch (f.id) {
        case 1: d.num_values = i32(f, "DataPageHeaderV2.num_values"); seen |= 1; break;
        case 2: d.num_nulls = i32(f, "DataPageHeaderV2.num_nulls"); seen |= 2; break;
        case 3: d.num_rows = i32(f, "DataPageHeaderV2.num_rows"); seen |= 4; break;
        case 4: d.encoding = static_cast<Encoding>(i32(f, "DataPageHeaderV2.encoding")); seen |= 8; break;
        case 5: d.definition_levels_byte_length = i32(f, "DataPageHeaderV2.definition_levels_byte_length"); seen |= 16; break;
        case 6: d.repetition_levels_byte_length = i32(f, "DataPageHeaderV2.repetition_levels_byte_length"); seen |= 32; break;
        case 7: d.is_compressed = boolean(f, "DataPageHeaderV2.is_compressed"); break;
        default: r_.skip(f.type);
      }
    }
    r_.end_struct();
    require(seen == 63, "DataPageHeaderV2");
    return d;
  }

  CompactReader r_;
  const MetadataLimits& limits_;
  std::size_t column_chunks_ = 0;
};

}  // namespace

FileMetaData parse_file_metadata(std::string_view bytes, const MetadataLimits& limits) {
  Parser parser(bytes, limits);
  return parser.parse_file_metadata();
}

PageHeader parse_page_header(std::string_view bytes, std::size_t& header_size) {
  const MetadataLimits limits;
  Parser parser(bytes, limits);
  PageHeader header = parser.parse_page_header();
  header_size = parser.reader().position();
  return header;
}

}  // namespace marquee::parquet::format
