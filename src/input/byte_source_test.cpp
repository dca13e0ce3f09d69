#include "input/byte_source.hpp"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <zip.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/error.hpp"

namespace marquee::input {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string read_all(ByteSource& source, std::size_t chunk) {
  std::string out;
  std::string buffer(chunk, '\0');
  while (const std::size_t got = source.read(buffer.data(), buffer.size())) out.append(buffer, 0, got);
  return out;
}

// Bytes a CSV reader must get back untouched: CRLF, a NUL, non-ASCII, a BOM.
std::string tricky_content() {
  std::string content = "\xEF\xBB\xBFid,title\r\n1,\"Caf\xC3\xA9, \"\"the\"\"\r\nfilm\"\r\n2,x";
  content.push_back('\0');
  content += "y\n";
  return content;
}

// Deterministic, poorly compressible-enough bytes so a deflated member spans
// many blocks.
std::string big_content(std::size_t size) {
  std::string content;
  content.reserve(size);
  std::uint32_t state = 12345;
  while (content.size() < size) {
    state = state * 1103515245u + 12345u;
    content.push_back(static_cast<char>('a' + (state >> 16) % 26));
    if (state % 61 == 0) content += "\r\n";
  }
  content.resize(size);
  return content;
}

class ByteSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "marquee-input-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& relative) const { return (dir_ / relative).string(); }

  std::string write_file(const std::string& relative, const std::string& content) const {
    const fs::path target = dir_ / relative;
    fs::create_directories(target.parent_path());
    std::ofstream(target, std::ios::binary) << content;
    return target.string();
  }

  // Writes a zip archive with libzip itself, independent of the code under test.
  std::string write_zip(const std::string& relative, const std::vector<std::pair<std::string, std::string>>& members,
                        zip_int32_t method = ZIP_CM_DEFLATE) const {
    const std::string target = path(relative);
    int error = 0;
    zip_t* archive = zip_open(target.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    EXPECT_NE(archive, nullptr);
    for (const auto& [name, content] : members) {
      zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
      const zip_int64_t index = zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8);
      EXPECT_GE(index, 0) << zip_strerror(archive);
      zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), method, 0);
    }
    EXPECT_EQ(zip_close(archive), 0);
    return target;
  }

  fs::path dir_;
};

template <typename Call>
std::string input_error_message(Call call) {
  try {
    call();
  } catch (const InputError& error) {
    EXPECT_EQ(error.exit_code(), 2);
    return error.what();
  }
  ADD_FAILURE() << "expected marquee::InputError";
  return {};
}

TEST_F(ByteSourceTest, PlainFileRoundTripsBytes) {
  const std::string content = tricky_content();
  const std::string file = write_file("movies.csv", content);
  auto source = open_input(file);
  EXPECT_EQ(source->name(), file);
  EXPECT_EQ(source->size(), content.size());
  EXPECT_EQ(read_all(*source, 5), content);
  char byte;
  EXPECT_EQ(source->read(&byte, 1), 0u) << "end of input stays the end";
}

TEST_F(ByteSourceTest, LargeReadsFillTheWholeBuffer) {
  const std::string content = big_content(3'000'000);
  auto source = open_input(write_file("big.csv", content));
  std::string buffer(1 << 20, '\0');
  EXPECT_EQ(source->read(buffer.data(), buffer.size()), buffer.size());
  EXPECT_EQ(source->read(buffer.data(), buffer.size()), buffer.size());
  EXPECT_EQ(source->read(buffer.data(), buffer.size()), 3'000'000u - 2 * buffer.size());
  EXPECT_EQ(source->read(buffer.data(), buffer.size()), 0u);
}

TEST_F(ByteSourceTest, EmptyFileReadsNothing) {
  auto source = open_input(write_file("empty.csv", ""));
  EXPECT_EQ(source->size(), 0u);
  EXPECT_EQ(read_all(*source, 16), "");
}

TEST_F(ByteSourceTest, DirectoryOpensItsMoviesMetadata) {
  const std::string file = write_file("dataset/movies_metadata.csv", tricky_content());
  write_file("dataset/links.csv", "movieId\n1\n");
  auto source = open_input(path("dataset"));
  EXPECT_EQ(fs::path(source->name()), fs::path(file));
  EXPECT_EQ(read_all(*source, 4096), tricky_content());
}

TEST_F(ByteSourceTest, DirectoryWithoutMemberNamesIt) {
  write_file("dataset/links.csv", "movieId\n1\n");
  const std::string message = input_error_message([&] { open_input(path("dataset")); });
  EXPECT_THAT(message, HasSubstr(path("dataset")));
  EXPECT_THAT(message, HasSubstr("movies_metadata.csv"));
}

TEST_F(ByteSourceTest, MemberThatIsADirectoryIsAnError) {
  fs::create_directories(path("dataset/movies_metadata.csv"));
  EXPECT_THAT(input_error_message([&] { open_input(path("dataset")); }), HasSubstr(path("dataset")));
}

TEST_F(ByteSourceTest, MissingPathIsNamed) {
  const std::string missing = path("nowhere/movies_metadata.csv");
  EXPECT_THAT(input_error_message([&] { open_input(missing); }), HasSubstr(missing));
}

TEST_F(ByteSourceTest, UnreadableFileIsNamed) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root: file permissions do not stop reads";
  const std::string file = write_file("secret.csv", "id\n1\n");
  fs::permissions(file, fs::perms::none);
  EXPECT_THAT(input_error_message([&] { open_input(file); }), HasSubstr(file));
  const std::string archive = write_zip("secret.zip", {{"movies_metadata.csv", "id\n"}});
  fs::permissions(archive, fs::perms::none);
  EXPECT_THAT(input_error_message([&] { open_input(archive); }), HasSubstr(archive));
}

// A socket cannot be opened for reading, even by root, so this runs anywhere.
TEST_F(ByteSourceTest, PathThatCannotBeOpenedIsNamed) {
  const std::string socket_path = path("movies.sock");
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(socket_path.size(), sizeof address.sun_path);
  std::strcpy(address.sun_path, socket_path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  const std::string message = input_error_message([&] { open_input(socket_path); });
  ::close(fd);
  EXPECT_THAT(message, HasSubstr(socket_path));
}

TEST_F(ByteSourceTest, ZipMemberIsStreamedFromTheArchive) {
  const std::string content = tricky_content();
  const std::string archive = write_zip("the-movies-dataset.zip", {{"links.csv", "movieId\n"},
                                                                   {"movies_metadata.csv", content}});
  auto source = open_input(archive);
  EXPECT_EQ(source->name(), archive + ":movies_metadata.csv");
  EXPECT_EQ(source->size(), content.size());
  EXPECT_EQ(read_all(*source, 3), content);
  EXPECT_FALSE(fs::exists(path("movies_metadata.csv"))) << "nothing is extracted next to the archive";
}

TEST_F(ByteSourceTest, LargeDeflatedMemberRoundTrips) {
  const std::string content = big_content(5'000'000);
  const std::string archive = write_zip("big.zip", {{"movies_metadata.csv", content}});
  auto source = open_input(archive);
  EXPECT_EQ(source->size(), content.size());
  EXPECT_EQ(read_all(*source, 1 << 20), content);
}

TEST_F(ByteSourceTest, StoredMemberRoundTrips) {
  const std::string content = tricky_content();
  auto source = open_input(write_zip("stored.zip", {{"movies_metadata.csv", content}}, ZIP_CM_STORE));
  EXPECT_EQ(read_all(*source, 2), content);
}

TEST_F(ByteSourceTest, ZipIsDetectedBySignatureWithoutExtension) {
  const std::string archive = write_zip("download.bin", {{"movies_metadata.csv", "id\n7\n"}});
  auto source = open_input(archive);
  EXPECT_EQ(source->name(), archive + ":movies_metadata.csv");
  EXPECT_EQ(read_all(*source, 64), "id\n7\n");
}

TEST_F(ByteSourceTest, MemberIsFoundAtAnyDepthByExactBaseName) {
  const std::string archive = write_zip("nested.zip", {{"the-movies-dataset/movies_metadata.csv.bak", "wrong1"},
                                                       {"the-movies-dataset/old_movies_metadata.csv", "wrong2"},
                                                       {"the-movies-dataset/movies_metadata.csv", "right"}});
  auto source = open_input(archive);
  EXPECT_EQ(source->name(), archive + ":the-movies-dataset/movies_metadata.csv");
  EXPECT_EQ(read_all(*source, 64), "right");
}

TEST_F(ByteSourceTest, ShallowestMemberWins) {
  const std::string archive = write_zip("two.zip", {{"a/b/movies_metadata.csv", "deep"},
                                                    {"a/movies_metadata.csv", "shallow"}});
  EXPECT_EQ(read_all(*open_input(archive), 64), "shallow");
}

TEST_F(ByteSourceTest, ArchiveWithoutMemberNamesBoth) {
  const std::string archive = write_zip("other.zip", {{"links.csv", "movieId\n"}});
  const std::string message = input_error_message([&] { open_input(archive); });
  EXPECT_THAT(message, HasSubstr(archive));
  EXPECT_THAT(message, HasSubstr("movies_metadata.csv"));
}

TEST_F(ByteSourceTest, GarbageWithZipExtensionIsACorruptArchive) {
  const std::string archive = write_file("broken.zip", "id,title\n1,not a zip\n");
  EXPECT_THAT(input_error_message([&] { open_input(archive); }), HasSubstr(archive));
}

TEST_F(ByteSourceTest, TruncatedArchiveIsNamed) {
  const std::string archive = write_zip("whole.zip", {{"movies_metadata.csv", big_content(200'000)}});
  std::ifstream in(archive, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string truncated = write_file("truncated.zip", bytes.substr(0, bytes.size() / 2));
  EXPECT_THAT(input_error_message([&] { open_input(truncated); }), HasSubstr(truncated));
}

TEST_F(ByteSourceTest, CorruptMemberDataFailsWhileReadingAndNamesTheMember) {
  const std::string archive = write_zip("flipped.zip", {{"movies_metadata.csv", big_content(200'000)}});
  std::fstream file(archive, std::ios::binary | std::ios::in | std::ios::out);
  // The member's compressed data starts right after its 30-byte local header
  // and 19-byte name; flip bytes well inside it.
  file.seekp(30 + 19 + 5000);
  file.write("\xFF\x00\xFF\x00\xFF\x00\xFF\x00", 8);
  file.close();
  const std::string message = input_error_message([&] {
    auto source = open_input(archive);
    read_all(*source, 1 << 16);
  });
  EXPECT_THAT(message, HasSubstr(archive + ":movies_metadata.csv"));
}

TEST(MemorySourceTest, ReadsItsBytesInPieces) {
  auto source = memory_source("abcdefghij");
  EXPECT_EQ(source->name(), "<memory>");
  EXPECT_EQ(source->size(), 10u);
  char buffer[4];
  EXPECT_EQ(source->read(buffer, 4), 4u);
  EXPECT_EQ(std::string(buffer, 4), "abcd");
  EXPECT_EQ(read_all(*source, 3), "efghij");
  EXPECT_EQ(memory_source("", "fixture.csv")->name(), "fixture.csv");
}

}  // namespace
}  // namespace marquee::input
