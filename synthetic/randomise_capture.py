"""Random draw of the CAPTURE side of a synthetic clip (issue 11's randomised suite).

``draw_capture(rng, fps=..., standing_height_cm=..., duration_s=...)`` returns a dict of
``JumpParams`` capture fields: body proportions for the drawn height, appearance,
background, light, camera placement and optics, framing (including cut-off body
parts), shake and pans, blur, noise, compression, a second person. Frame rate and clip
length come from ``synthetic/randomise.py`` (the frame budget); the jumper's height and
motion from ``synthetic/randomise_motion.py``.

Every range says what real phone footage it stands for. The shares are for a yardstick
that covers hard captures often enough to measure them (a few percent of real uploads
would leave too few clips per condition in 200), not for the mix of a typical upload;
``bench/generalise.py`` reports every figure per condition for that reason.
"""

from __future__ import annotations

import math

import numpy as np

from synthetic.body import BodyDims
from synthetic.capture import CLOTHES_CLOSE
from synthetic.params import JumpParams
from synthetic.render import Camera

# ----------------------------------------------------------------------------- body

#: Median standing height (cm) by age, boys and girls averaged (CDC 2000 growth charts,
#: stature-for-age 50th centile; WHO 2007 references agree within ~1 cm): used to give a
#: child of a drawn height its age, and so its proportions.
AGE_HEIGHT_CM = ((6, 116.0), (7, 122.0), (8, 128.0), (9, 133.5), (10, 138.5), (11, 144.0), (12, 150.5),
                 (13, 157.0), (14, 163.5), (15, 167.0))
#: Head circumference (cm, 50th centile, sexes averaged) by age: Nellhaus (1968),
#: Pediatrics 41:106; adult ~56 cm. The head grows ~9 % from 7 years to adulthood while
#: stature grows ~40 %, so the head's share of the height falls from ~1/6 to ~1/7.7
#: (the classic proportion figures, e.g. Medawar 1944, Proc R Soc B 132:133, put it at
#: 1/6 at 6 years, 1/7 at 12 and 1/8 in adults).
AGE_HEAD_CIRC_CM = ((6, 51.2), (8, 52.0), (10, 52.8), (12, 53.6), (14, 54.6), (16, 55.4), (18, 56.0))
ADULT_HEAD_CIRC_CM = 56.0
ADULT_HEAD_FRAC = 0.130  # the adult figure (Drillis & Contini, via Winter 2009)
ADULT_HEIGHT_CM = 170.0
#: Sitting height / stature by age (Fredriks et al. 2005, Arch Dis Child 90:807, Dutch
#: references): ~0.545 at 7 years, falling to ~0.52 by 14 (legs grow fastest before
#: puberty); adults ~0.52 (sd ~0.012). A higher ratio means shorter legs: the hip joint
#: drops by the same share of the height.
AGE_SITTING_RATIO = ((6, 0.550), (7, 0.545), (9, 0.535), (11, 0.527), (13, 0.521), (15, 0.520))
ADULT_SITTING_RATIO = 0.520


def age_for_height(height_cm: float) -> float:
    ages, hs = zip(*AGE_HEIGHT_CM)
    return float(np.interp(height_cm, hs, ages))


def draw_proportions(rng: np.random.Generator, height_cm: float) -> dict:
    """Head and hip-height fractions for a jumper of ``height_cm``.

    Under 150 cm the jumper is a child (about 12 years or younger at the median); 150-162
    cm is a child or teenager in half the clips, an adult in the other half; taller is
    an adult. Children: proportions of the median child of that height. Adults: the head
    scales with height to the power 0.3 (head size varies far less than stature: its
    share falls for tall people), the legs vary with the sitting-height ratio's sd.
    """
    child = height_cm < 150.0 or (height_cm < 162.0 and rng.random() < 0.5)
    if child:
        age = age_for_height(height_cm)
        ages, circ = zip(*AGE_HEAD_CIRC_CM)
        head_cm = ADULT_HEAD_FRAC * ADULT_HEIGHT_CM * float(np.interp(age, ages, circ)) / ADULT_HEAD_CIRC_CM
        head = head_cm / height_cm
        ages, ratio = zip(*AGE_SITTING_RATIO)
        shr = float(np.interp(age, ages, ratio))
    else:
        head = ADULT_HEAD_FRAC * (ADULT_HEIGHT_CM / height_cm) ** 0.7 * float(rng.uniform(0.96, 1.04))
        shr = ADULT_SITTING_RATIO + float(np.clip(rng.normal(0.0, 0.012), -0.025, 0.025))
    hip = 0.530 - (shr - ADULT_SITTING_RATIO)
    return {"head_height_frac": round(float(np.clip(head, 0.11, 0.19)), 4),
            "hip_height_frac": round(float(np.clip(hip, 0.48, 0.555)), 4)}


# ----------------------------------------------------------------------------- colours

#: The Monk Skin Tone scale (Monk 2019; Google's published sRGB swatches), ten tones from
#: lightest to darkest: every skin colour in the suite is one of these, a little varied.
MONK_SKIN_RGB = ((246, 237, 228), (243, 231, 219), (247, 234, 208), (234, 218, 186), (215, 189, 150),
                 (160, 126, 86), (130, 92, 67), (96, 65, 52), (58, 49, 42), (41, 36, 32))
HAIR_RGB = {"black": (25, 20, 18), "dark_brown": (60, 40, 30), "brown": (105, 70, 45), "blond": (200, 165, 110),
            "red": (140, 60, 30), "grey": (150, 148, 145)}
HAIR_P = {"black": 0.35, "dark_brown": 0.3, "brown": 0.15, "blond": 0.1, "red": 0.04, "grey": 0.06}


def _jitter(rng: np.random.Generator, rgb, amount: float = 12.0) -> list[int]:
    return [int(np.clip(round(c + rng.normal(0, amount)), 0, 255)) for c in rgb]


def _hsv_rgb(h: float, s: float, v: float) -> list[int]:
    import colorsys  # noqa: PLC0415

    return [int(round(255 * c)) for c in colorsys.hsv_to_rgb(h % 1.0, s, v)]


def _garment(rng: np.random.Generator) -> list[int]:
    """Sports clothing: 40 % black/white/grey, the rest any hue, mostly saturated."""
    if rng.random() < 0.4:
        return [int(round(255 * rng.choice([0.08, 0.15, 0.35, 0.6, 0.85, 0.95])))] * 3
    return _hsv_rgb(rng.random(), rng.uniform(0.35, 0.95), rng.uniform(0.25, 0.95))


def _near(rng: np.random.Generator, rgb) -> list[int]:
    """A colour within CLOTHES_CLOSE of ``rgb`` (a shirt that melts into the wall)."""
    d = rng.normal(0, 1, 3)
    d *= rng.uniform(0.2, 0.9) * CLOTHES_CLOSE / max(np.linalg.norm(d), 1e-9)
    return [int(np.clip(round(c + x), 0, 255)) for c, x in zip(rgb, d)]


def _choice(rng: np.random.Generator, shares: dict):
    keys = list(shares)
    p = np.array([shares[k] for k in keys], float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


# ----------------------------------------------------------------------------- scene

#: Backgrounds: plain walls, studio gradients, textured and brick walls, gyms, cluttered
#: rooms and outdoor scenes, as in home, school, gym and park footage.
BACKGROUND_P = {"studio": 0.12, "plain": 0.13, "noise": 0.10, "brick": 0.10, "gym": 0.15, "cluttered": 0.22,
                "outdoor": 0.18}
#: Indoor walls are mostly light neutrals, sometimes painted; floors wood, laminate,
#: concrete or dark rubber gym flooring; outdoor: blue or grey sky over grass, asphalt or
#: paving.
WALLS = ((235, 235, 230), (210, 205, 195), (190, 195, 200), (225, 215, 190), (160, 170, 150), (120, 140, 170),
         (90, 90, 95), (200, 120, 90))
FLOORS = ((150, 130, 110), (185, 150, 110), (120, 90, 65), (160, 160, 155), (60, 60, 65), (95, 70, 55))
SKIES = ((150, 190, 235), (120, 165, 225), (185, 195, 205), (210, 210, 215))
GROUNDS = ((90, 125, 60), (70, 100, 50), (95, 95, 100), (150, 145, 135))


def _draw_scene(rng: np.random.Generator) -> dict:
    bgk = _choice(rng, BACKGROUND_P)
    if bgk == "outdoor":
        bg, fl = SKIES[rng.integers(len(SKIES))], GROUNDS[rng.integers(len(GROUNDS))]
    else:
        bg, fl = WALLS[rng.integers(len(WALLS))], FLOORS[rng.integers(len(FLOORS))]
    return {"background": bgk, "background_rgb": _jitter(rng, bg, 10), "floor_rgb": _jitter(rng, fl, 10)}


def _draw_appearance(rng: np.random.Generator, scene: dict) -> dict:
    d = {"skin_rgb": _jitter(rng, MONK_SKIN_RGB[rng.integers(len(MONK_SKIN_RGB))], 6),
         "hair_rgb": _jitter(rng, HAIR_RGB[_choice(rng, HAIR_P)], 6),
         "shirt_rgb": _garment(rng), "shorts_rgb": _garment(rng), "trousers": bool(rng.random() < 0.4),
         "shoe_rgb": _garment(rng)}
    # Clothes close to the background in 15 % of clips: a grey top against a grey
    # wall, black leggings on a dark gym floor.
    if rng.random() < 0.15:
        if rng.random() < 0.6:
            d["shirt_rgb"] = _near(rng, scene["background_rgb"])
        else:
            d["shorts_rgb"] = _near(rng, scene["floor_rgb"])
            d["trousers"] = True
    return d


#: Ropes: beaded and PVC ropes 4-8 mm, steel speed cables 2.5-4 mm (coated, often
#: grey or black). Colours: bright, black, white/grey, and rope colours close to the
#: floor (a brown rope on a wooden floor), from plain to almost invisible.
ROPE_COLOURS = {"bright": 0.45, "black": 0.2, "light": 0.15, "grey_cable": 0.1, "like_floor": 0.1}


def _draw_rope(rng: np.random.Generator, floor_rgb) -> dict:
    kind = _choice(rng, ROPE_COLOURS)
    if kind == "bright":
        rgb = _hsv_rgb(rng.random(), rng.uniform(0.6, 1.0), rng.uniform(0.6, 1.0))
    elif kind == "black":
        rgb = _jitter(rng, (25, 25, 28), 6)
    elif kind == "light":
        rgb = _jitter(rng, (230, 230, 225), 8)
    elif kind == "grey_cable":
        rgb = _jitter(rng, (140, 140, 145), 10)
    else:
        rgb = _near(rng, floor_rgb)
    r = rng.random()
    diam = rng.uniform(6.0, 8.0) if r < 0.3 else rng.uniform(4.0, 6.0) if r < 0.7 else rng.uniform(2.5, 4.0)
    return {"rope_rgb": rgb, "rope_diameter_mm": round(float(diam), 2)}


#: Rope length over standing height (cm): sizing guides say height + 2 ft (~60 cm, speed
#: work) to + 4 ft (~120 cm, beginners), + 3 ft (~90 cm) the usual advice and what the
#: handles-to-armpits check gives (``synthetic.params.ROPE_OVER_HEIGHT_CM``); ropes
#: bought long and never cut spread it further. Normal around + 90 cm with an sd of 15 cm
#: (about 95 % within the guides' 60-120 cm), held to 55-125 cm. With the hands at hip
#: height the loop then clears the head by ~5-40 cm (~20-25 cm at + 90 cm; test in
#: tests/synthetic/test_synth_geometry.py).
ROPE_OVER_HEIGHT_CM = (90.0, 15.0, 55.0, 125.0)  # mean, sd, low, high


def draw_rope_length_cm(rng: np.random.Generator, height_cm: float) -> float:
    mean, sd, lo, hi = ROPE_OVER_HEIGHT_CM
    return round(float(height_cm + np.clip(rng.normal(mean, sd), lo, hi)), 1)


def _draw_light(rng: np.random.Generator) -> dict:
    """Exposure from a dark room to overexposed; back-light (a window or low sun
    behind the jumper) in 15 % of clips; haze or fog, or a smudged lens, in 8 %."""
    r = rng.random()
    if r < 0.55:
        gain = rng.uniform(0.75, 1.25)
    elif r < 0.77:
        gain = rng.uniform(0.45, 0.75)
    elif r < 0.9:
        gain = rng.uniform(0.18, 0.45)
    else:
        gain = rng.uniform(1.25, 1.8)
    backlight = rng.uniform(0.4, 1.0) if rng.random() < 0.15 else 0.0
    haze = rng.uniform(0.25, 0.6) if rng.random() < 0.08 else 0.0
    return {"light_gain": round(float(gain), 3), "backlight": round(float(backlight), 3), "haze": round(float(haze), 3)}


# ----------------------------------------------------------------------------- camera

#: Camera yaw relative to the jumper's facing. Coaching footage is mostly front and
#: side on; obliques are common; from behind is rare but happens (a second phone, a
#: group filmed from one spot). Within a bin the yaw is uniform, either side.
YAW_BINS = {"front": ((0.0, 22.5), 0.30), "oblique": ((22.5, 67.5), 0.22), "side": ((67.5, 112.5), 0.26),
            "back_oblique": ((112.5, 157.5), 0.11), "back": ((157.5, 180.0), 0.11)}
#: Phone placement: on the floor, propped on a bench/chair/bag, hand-held at chest or
#: eye height, or high on a shelf or tripod (above the head).
HEIGHTS = {"floor": ((0.1, 0.35), 0.15), "propped": ((0.4, 0.95), 0.30), "hand_held": ((1.0, 1.6), 0.45),
           "high": ((1.8, 2.5), 0.10)}
#: Framing: the whole body (78 %), or part of it out of the frame: the shoes (8 %),
#: the legs below mid-shank (8 %), the head (6 %).
FRAMING_P = {"whole": 0.78, "feet_cut": 0.08, "below_knee_cut": 0.08, "head_cut": 0.06}
#: Resolution (short side): phones record 720p/1080p, clips that were shared or
#: downloaded come at 240-540p.
RESOLUTION_P = {240: 0.08, 360: 0.17, 480: 0.20, 540: 0.10, 720: 0.30, 1080: 0.15}
#: Constant-rate quality: phone encoders ~ crf 18-24; messaging and social re-encodes
#: ~ crf 26-35.
CRF_P = {(18, 24): 0.6, (25, 30): 0.25, (31, 35): 0.15}
#: Highest clearance (m) the framing must leave room for (double-unders, tuck jumps).
MAX_CLEARANCE_M = 0.35


def _edge_fit(height_m: float, cam_h: float, dist_h: float, y_bot: float, y_top: float) -> tuple[float, float]:
    """Aim height (fraction of ``height_m``) and fill that put body heights ``y_bot`` and
    ``y_top`` (m) exactly at the bottom and top frame edges (no tilt; exact for points on
    the jumper's vertical axis: v = cy - f tan(elevation - axis elevation))."""
    tb, tt = math.atan2(y_bot - cam_h, dist_h), math.atan2(y_top - cam_h, dist_h)
    axis = 0.5 * (tb + tt)
    f_over_h = 0.5 / math.tan(0.5 * (tt - tb))  # focal / frame height
    aim = cam_h + dist_h * math.tan(axis)
    dist = math.hypot(dist_h, aim - cam_h)
    fill = f_over_h * height_m * 1.12 / dist
    return aim / height_m, fill


def _vertical_px(p: JumpParams, ys_m: list[float]) -> np.ndarray:
    """Image rows of points on the jumper's axis at heights ``ys_m`` (for framing checks)."""
    cam = Camera.for_params(p, BodyDims.from_height(p.standing_height_cm, p.head_height_frac, p.hip_height_frac))
    px, _ = cam.project(np.array([[0.0, y, 0.0] for y in ys_m]))
    return px


def _draw_camera(rng: np.random.Generator, height_cm: float, base: dict) -> dict:
    H = height_cm / 100.0
    lo_hi, _ = YAW_BINS[_choice(rng, {k: v[1] for k, v in YAW_BINS.items()})]
    yaw = float(rng.uniform(*lo_hi)) * (1 if rng.random() < 0.5 else -1)
    place = _choice(rng, {k: v[1] for k, v in HEIGHTS.items()})
    cam_h = float(rng.uniform(*HEIGHTS[place][0]))
    dist = float(rng.uniform(2.2, 6.5))
    d = {"camera_yaw_deg": round(yaw, 2), "camera_height_m": round(cam_h, 3), "camera_distance_m": round(dist, 3),
         "aspect": "portrait" if rng.random() < 0.45 else "landscape",
         "resolution_p": int(_choice(rng, RESOLUTION_P))}
    hand_held = place == "hand_held"
    framing = _choice(rng, FRAMING_P)
    if framing == "whole":
        d["camera_aim_height_frac"] = round(float(rng.uniform(0.45, 0.6)), 3)
        d["camera_fill"] = round(float(rng.uniform(0.35, 0.9)), 3)
        d["camera_tilt_deg"] = round(float(np.clip(rng.normal(0, 3.0 if hand_held else 1.5), -8, 8)), 2)
    else:
        if framing == "feet_cut":  # the frame's bottom edge between the sole and the ankle
            y_bot, y_top = rng.uniform(0.02, 0.05) * H, rng.uniform(1.04, 1.15) * H + MAX_CLEARANCE_M
        elif framing == "below_knee_cut":  # bottom edge mid-shank: knees in, ankles out
            y_bot, y_top = rng.uniform(0.12, 0.22) * H, rng.uniform(1.04, 1.15) * H + MAX_CLEARANCE_M
        else:  # head_cut: the top edge across the chin and mouth
            y_bot, y_top = -rng.uniform(0.02, 0.1) * H, rng.uniform(0.84, 0.89) * H
        aim, fill = _edge_fit(H, cam_h, dist, float(y_bot), float(y_top))
        d["camera_aim_height_frac"], d["camera_fill"] = round(aim, 4), round(fill, 4)
        d["camera_tilt_deg"] = 0.0
    roll_sd = 2.5 if hand_held else 1.0
    roll = rng.uniform(-12, 12) if rng.random() < 0.08 else np.clip(rng.normal(0, roll_sd), -6, 6)
    d["camera_roll_deg"] = round(float(roll), 2)
    if framing == "whole":  # keep the whole jump in the frame: shrink the figure until it fits
        for _ in range(40):
            p = JumpParams.from_dict({**base, **d, "standing_height_cm": height_cm})
            rows = _vertical_px(p, [-0.02, H + MAX_CLEARANCE_M])[:, 1]
            h_px = p.frame_size[1]
            if rows.min() >= 0.02 * h_px and rows.max() <= 0.98 * h_px:
                break
            d["camera_fill"] = round(d["camera_fill"] * 0.93, 4)
            d["camera_aim_height_frac"] = round(0.5 * (d["camera_aim_height_frac"] + 0.55), 4)
    d["camera_fill"] = float(np.clip(d["camera_fill"], 0.2, 2.5))
    d["camera_aim_height_frac"] = float(np.clip(d["camera_aim_height_frac"], 0.0, 1.2))
    return d


def _draw_motion_of_camera(rng: np.random.Generator, d: dict) -> dict:
    """Shake (hand-held phones), slow pans, blur, noise and compression."""
    h_px = d["resolution_p"] if d["aspect"] == "landscape" else int(round(d["resolution_p"] * 16 / 9 / 2)) * 2
    w_px = int(round(d["resolution_p"] * 16 / 9 / 2)) * 2 if d["aspect"] == "landscape" else d["resolution_p"]
    hand_held = 1.0 <= d["camera_height_m"] <= 1.6
    out = {"shake_px": 0.0, "pan_px": 0.0, "pan_period_s": 12.0}
    if hand_held and rng.random() < 0.7:
        # Hand tremor and body sway: RMS 0.1-1.2 % of the frame height.
        out["shake_px"] = round(float(rng.uniform(0.001, 0.012) * h_px), 2)
    elif rng.random() < 0.1:  # a propped phone nudged or a wobbly tripod
        out["shake_px"] = round(float(rng.uniform(0.001, 0.004) * h_px), 2)
    if hand_held and rng.random() < 0.25:
        # A slow pan following the jumper: up to 12 % of the frame width, 6-20 s a cycle.
        out["pan_px"] = round(float(rng.uniform(0.03, 0.12) * w_px), 1)
        out["pan_period_s"] = round(float(rng.uniform(6.0, 20.0)), 2)
    # Blur (sigma in px at 720p, scaled to the frame): sharp 0.3-1.0 in most clips,
    # soft focus or motion blur 1.5-3.5 in 15 %.
    b720 = rng.uniform(1.5, 3.5) if rng.random() < 0.15 else rng.uniform(0.3, 1.0)
    out["blur_sigma_px"] = round(float(b720 * d["resolution_p"] / 720.0), 3)
    # Sensor noise grows as the light falls (the phone raises its gain): 1-3 grey levels
    # in good light, up to ~12 in a dark room.
    out["noise_sigma"] = round(float(rng.uniform(1.0, 3.0) / max(d["light_gain"], 0.25) ** 0.8), 2)
    lo_hi = _choice(rng, {k: v for k, v in CRF_P.items()})
    out["crf"] = int(rng.integers(lo_hi[0], lo_hi[1] + 1))
    return out


#: A second person behind the jumper: walking across (12 %) or standing (8 %).
SECOND_PERSON_P = {"none": 0.80, "passing": 0.12, "standing": 0.08}


def _draw_second_person(rng: np.random.Generator, p: JumpParams, duration_s: float) -> dict:
    kind = _choice(rng, SECOND_PERSON_P)
    if kind == "none":
        return {"second_person": "none"}
    depth = float(rng.uniform(0.8, 2.4))
    cam = Camera.for_params(p, BodyDims.from_height(p.standing_height_cm, p.head_height_frac, p.hip_height_frac))
    half_w = 0.5 * cam.width / cam.focal_px * (p.camera_distance_m + depth)  # half the frame width there
    d = {"second_person": kind, "second_person_depth_m": round(depth, 3),
         "second_person_height_cm": round(float(np.clip(rng.normal(168, 12), 110, 200)), 1),
         "second_person_shirt_rgb": _garment(rng), "second_person_trousers_rgb": _garment(rng)}
    side = 1.0 if rng.random() < 0.5 else -1.0
    if kind == "passing":  # enters from just outside the frame, crosses at 0.9-1.6 m/s
        d["second_person_lateral_m"] = round(float(side * min(half_w + 0.6, 6.0)), 3)
        d["second_person_speed_m_s"] = round(float(rng.uniform(0.9, 1.6)), 3)
        d["second_person_start_s"] = round(float(rng.uniform(0.0, max(0.6 * duration_s, 0.1))), 2)
    else:  # standing beside the jumper's line, within the frame
        d["second_person_lateral_m"] = round(float(side * rng.uniform(0.5, max(0.6, min(half_w * 0.8, 1.8)))), 3)
    return d


def draw_capture(rng: np.random.Generator, *, fps: float, standing_height_cm: float, duration_s: float) -> dict:
    """Draw the capture fields of one clip (a dict of ``JumpParams`` field names).

    ``fps``: the clip's frame rate (drawn with the frame budget); ``standing_height_cm``:
    the jumper's (drawn on the motion side); ``duration_s``: the clip's length (for when
    a second person walks past).
    """
    if not (fps > 0 and 100 <= standing_height_cm <= 230 and duration_s > 0):
        raise ValueError(f"draw_capture needs fps > 0, standing_height_cm 100..230 and duration_s > 0; got "
                         f"{fps!r}, {standing_height_cm!r}, {duration_s!r}")
    d: dict = {}
    d.update(draw_proportions(rng, standing_height_cm))
    scene = _draw_scene(rng)
    d.update(scene)
    d.update(_draw_appearance(rng, scene))
    d.update(_draw_rope(rng, scene["floor_rgb"]))
    d.update(_draw_light(rng))
    cam = _draw_camera(rng, standing_height_cm, {**d, "fps": fps})
    d.update(cam)
    d.update(_draw_motion_of_camera(rng, d))
    d["x264_preset"] = "superfast"  # rendering speed (see bench/RESULTS.md, generalise)
    p = JumpParams.from_dict({**d, "fps": fps, "standing_height_cm": standing_height_cm})
    d.update(_draw_second_person(rng, p, duration_s))
    # Drawn last (added with RENDER_VERSION 3), so every knob above keeps its value for a seed.
    d["rope_length_cm"] = draw_rope_length_cm(rng, standing_height_cm)
    return d


def framing_tags(p: JumpParams) -> list[str]:
    """feet_cut / below_knee_cut / legs_cut / head_cut of the standing jumper, from the
    camera geometry alone (the truth's ``capture.tags`` measure them over the clip):
    feet cut = the heel landmark out of the frame, the lower shank (0.10 H) in; below
    the knee = the lower shank out, the knee in."""
    dims = BodyDims.from_height(p.standing_height_cm, p.head_height_frac, p.hip_height_frac)
    nose = dims.hip_height_m + dims.trunk_m + dims.ear_above_shoulder_m - 0.03 * dims.head_radius_m
    ys = [0.35 * dims.ankle_height_m, 0.10 * dims.height_m, dims.hip_height_m - dims.thigh_m, nose]
    rows = _vertical_px(p, ys)
    h, w = p.frame_size[1], p.frame_size[0]
    heel, shank, knee, head = (not (0 <= x < w and 0 <= y < h) for x, y in rows)
    tags = []
    if knee:
        tags.append("legs_cut")
    elif shank:
        tags.append("below_knee_cut")
    elif heel:
        tags.append("feet_cut")
    if head:
        tags.append("head_cut")
    return tags
