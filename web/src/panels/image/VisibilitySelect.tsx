import { imageLabel, VISIBILITIES, type Image } from '../../api/image';

/** An image's visibility as a labelled select (the project's Images and the admin's All images). */
export function VisibilitySelect({ image, onChange }: { image: Image; onChange: (visibility: string) => void }) {
  return (
    <label>
      <span className="visually-hidden">Visibility of {imageLabel(image)}</span>
      <select value={image.visibility} onChange={(event) => onChange(event.target.value)}>
        {VISIBILITIES.map((visibility) => (
          <option key={visibility}>{visibility}</option>
        ))}
      </select>
    </label>
  );
}
