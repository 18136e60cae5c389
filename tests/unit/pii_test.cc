#include "common/pii.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/temp_dir.h"

namespace huanxin {
namespace {

class PiiKeyTest : public ::testing::Test {
 protected:
  std::string Path(const char* name) const { return dir_.path() + "/" + name; }

  static void WriteFile(const std::string& path, const std::string& data, mode_t mode) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
    ::close(fd);
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
  }
  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  testing::TempDir dir_;
};

bool IsLowerHex(const std::string& s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

TEST_F(PiiKeyTest, CreatesKeyFileWithMode0600) {
  const std::string path = Path("pii.key");
  auto key = PiiKey::LoadOrCreate(path);
  ASSERT_TRUE(key.ok()) << key.status();
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600);
  const std::string text = ReadFile(path);
  ASSERT_EQ(text.size(), 65u);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_TRUE(IsLowerHex(text.substr(0, 64)));
}

TEST_F(PiiKeyTest, ReloadGivesTheSameRefs) {
  const std::string path = Path("pii.key");
  auto a = PiiKey::LoadOrCreate(path);
  ASSERT_TRUE(a.ok()) << a.status();
  const std::string before = ReadFile(path);
  auto b = PiiKey::LoadOrCreate(path);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(ReadFile(path), before);  // not rewritten
  EXPECT_EQ(a->Ref("11010519491231002X"), b->Ref("11010519491231002X"));
}

TEST_F(PiiKeyTest, FreshKeysDiffer) {
  auto a = PiiKey::LoadOrCreate(Path("a.key"));
  auto b = PiiKey::LoadOrCreate(Path("b.key"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->Ref("11010519491231002X"), b->Ref("11010519491231002X"));
}

TEST_F(PiiKeyTest, RefShape) {
  PiiKey key = PiiKey::ForTesting(std::string(32, 'k'));
  const std::string ref = key.Ref("11010519491231002X");
  EXPECT_EQ(ref.size(), 32u);
  EXPECT_TRUE(IsLowerHex(ref)) << ref;
  EXPECT_EQ(ref, key.Ref("11010519491231002X"));
  EXPECT_NE(ref, key.Ref("371602199003071236"));
  EXPECT_EQ(key.Ref(""), "");
}

TEST_F(PiiKeyTest, DifferentKeysDiffer) {
  PiiKey a = PiiKey::ForTesting(std::string(32, 'a'));
  PiiKey b = PiiKey::ForTesting(std::string(32, 'b'));
  EXPECT_NE(a.Ref("13800138000"), b.Ref("13800138000"));
}

TEST_F(PiiKeyTest, KnownAnswer) {
  // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?").
  PiiKey key = PiiKey::ForTesting("Jefe");
  EXPECT_EQ(key.Ref("what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c7");
}

TEST_F(PiiKeyTest, ReadsHexAndRawKeys) {
  const std::string raw(32, '\x11');
  WriteFile(Path("raw.key"), raw, 0600);
  WriteFile(Path("hex.key"), std::string(64, '1'), 0400);
  WriteFile(Path("HEX.key"), std::string(64, '1') + "\n", 0600);
  auto r = PiiKey::LoadOrCreate(Path("raw.key"));
  auto h = PiiKey::LoadOrCreate(Path("hex.key"));
  auto H = PiiKey::LoadOrCreate(Path("HEX.key"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_TRUE(H.ok()) << H.status();
  const std::string want = PiiKey::ForTesting(raw).Ref("x");
  EXPECT_EQ(r->Ref("x"), want);
  EXPECT_EQ(h->Ref("x"), want);
  EXPECT_EQ(H->Ref("x"), want);
}

TEST_F(PiiKeyTest, RefusesWrongSize) {
  WriteFile(Path("short.key"), std::string(31, 'a'), 0600);
  WriteFile(Path("long.key"), std::string(66, 'a'), 0600);
  WriteFile(Path("nothex.key"), std::string(63, 'a') + "g", 0600);
  WriteFile(Path("empty.key"), "", 0600);
  for (const char* name : {"short.key", "long.key", "nothex.key", "empty.key"}) {
    auto k = PiiKey::LoadOrCreate(Path(name));
    ASSERT_FALSE(k.ok()) << name;
    EXPECT_EQ(k.status().code(), absl::StatusCode::kFailedPrecondition) << k.status();
  }
}

TEST_F(PiiKeyTest, RefusesGroupOrOtherReadableFile) {
  for (mode_t mode : {0640, 0604, 0660, 0644}) {
    const std::string path = Path("open.key");
    WriteFile(path, std::string(64, 'a'), mode);
    auto k = PiiKey::LoadOrCreate(path);
    ASSERT_FALSE(k.ok()) << std::oct << mode;
    EXPECT_EQ(k.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(k.status().message().find(path), std::string::npos) << k.status();
    ::unlink(path.c_str());
  }
}

TEST_F(PiiKeyTest, RefusesDirectoryAndMissingParent) {
  ASSERT_EQ(::mkdir(Path("d").c_str(), 0700), 0);
  EXPECT_FALSE(PiiKey::LoadOrCreate(Path("d")).ok());
  EXPECT_FALSE(PiiKey::LoadOrCreate(Path("missing/pii.key")).ok());
}

}  // namespace
}  // namespace huanxin
