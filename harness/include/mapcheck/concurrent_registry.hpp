// The concurrent maps a mapcheck binary can stress (the `stress` suite of `mapcheck run`). Each is
// registered once, from a translation unit of its own or a shared one:
//
//   #include <mapcheck/concurrent_registry.hpp>
//   #include "my_concurrent_adapter.hpp"
//   MAPCHECK_REGISTER_CONCURRENT_MAP(my::MapStress, "my_concurrent_adapter.hpp");
//
// As with registry.hpp, the entry erases the adapter's type: the command runs a campaign, and
// prints a program's reproducer, through function pointers. A concurrent map may share its name
// with a sequentially registered one (tbb_concurrent_unordered_map): the report then shows both
// in one row, the sequential suites and the stress suite side by side.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mapcheck/stress/campaign.hpp"
#include "mapcheck/stress/concurrent_adapter.hpp"
#include "mapcheck/stress/reproducer.hpp"

namespace mapcheck {

// What a stress campaign found, in words and source text, for a finding's files.
struct StressReport {
  stress::FindingClass finding = stress::FindingClass::none;
  std::size_t programs = 0;
  std::size_t program_index = 0;
  std::size_t minimal_threads = 0;
  std::size_t minimal_calls = 0;
  std::string details;     // the classed finding with the minimal history's table
  std::string reproducer;  // a C++ program that replays the minimal program
};

struct ConcurrentMapEntry {
  std::string_view name;
  std::string_view cpp_name;  // how a reproducer spells the adapter
  std::string_view header;    // as a user includes it
  stress::StressOpSet offered;
  stress::StressOpSet exclusive;
  StressReport (*run)(const stress::CampaignOptions&, const ConcurrentMapEntry&);
  std::string (*program_reproducer)(const stress::CampaignOptions&, std::size_t index,
                                    const ConcurrentMapEntry&, std::string_view headline);

  StressReport run_campaign(const stress::CampaignOptions& options) const {
    return run(options, *this);
  }
  // The reproducer of program `index` as generated (a crash's: it is not minimised).
  std::string reproducer_of(const stress::CampaignOptions& options, std::size_t index,
                            std::string_view headline) const {
    return program_reproducer(options, index, *this, headline);
  }
};

inline std::vector<ConcurrentMapEntry>& registered_concurrent_maps() {
  static std::vector<ConcurrentMapEntry> maps;
  return maps;
}

inline bool register_concurrent_map(const ConcurrentMapEntry& entry) {
  registered_concurrent_maps().push_back(entry);
  return true;
}

inline const ConcurrentMapEntry* find_concurrent_map(std::string_view name) {
  for (const ConcurrentMapEntry& entry : registered_concurrent_maps())
    if (entry.name == name) return &entry;
  return nullptr;
}

template <class A>
ConcurrentMapEntry concurrent_map_entry(std::string_view cpp_name, std::string_view header) {
  static_assert(stress::check_concurrent_adapter<A>());
  return ConcurrentMapEntry{
      A::name,
      cpp_name,
      header,
      stress::offered_ops<A>(),
      stress::exclusive_ops<A>(),
      [](const stress::CampaignOptions& options, const ConcurrentMapEntry& self) {
        const stress::CampaignResult result = stress::run_campaign<A>(options);
        StressReport report;
        report.programs = result.programs;
        if (!result.finding) return report;
        const stress::StressFinding& f = *result.finding;
        report.finding = f.finding;
        report.program_index = f.program_index;
        report.minimal_threads = f.minimal.program.threads;
        report.minimal_calls = f.minimal.program.op_count();
        report.details = stress::describe(f);
        report.reproducer = stress::reproducer_source(
            f.minimal.program, self.cpp_name, self.header,
            std::string(A::name) + ": " + std::string(stress::class_name(f.finding)));
        return report;
      },
      [](const stress::CampaignOptions& options, std::size_t index, const ConcurrentMapEntry& self,
         std::string_view headline) {
        return stress::reproducer_source(stress::program_of<A>(options, index), self.cpp_name,
                                         self.header, headline);
      },
  };
}

}  // namespace mapcheck

#define MAPCHECK_CONCURRENT_CONCAT_(a, b) a##b
#define MAPCHECK_CONCURRENT_CONCAT(a, b) MAPCHECK_CONCURRENT_CONCAT_(a, b)

// Registers concurrent adapter A (spelled as written, for reproducers) with its header.
#define MAPCHECK_REGISTER_CONCURRENT_MAP(A, header)                                               \
  [[maybe_unused]] static const bool MAPCHECK_CONCURRENT_CONCAT(mapcheck_concurrent_, __LINE__) = \
      ::mapcheck::register_concurrent_map(::mapcheck::concurrent_map_entry<A>(#A, header))
